import Foundation
import Primitives
import Sodium

/// The append-only, hash-chained audit log (JSON Lines). Each entry carries its sequence
/// number and the SHA-512 of the previous entry's line, so a modified, deleted or
/// reordered entry breaks the chain; the head (last sequence number and hash) goes into
/// every bundle, so truncation is detectable too. Entries never hold record values.
public struct AuditLog: Sendable {
    /// The log file.
    public var path: String

    /// The log at `path` (created on first append, with its directory).
    public init(path: String) { self.path = path }

    /// The position of the newest entry: what a bundle records.
    public struct Head: Sendable, Equatable {
        /// Sequence number of the newest entry (0 for an empty log).
        public var sequence: Int
        /// Hex SHA-512 of the newest entry's line (64 zero bytes for an empty log).
        public var hash: String
    }

    /// The hash that stands before the first entry.
    public static let genesis = String(repeating: "0", count: 128)

    /// Appends one entry (event name, case id, event facts) under an exclusive lock,
    /// fsyncs it, and returns the new head. Concurrent appenders serialize on the lock.
    /// The library writes through `record(_:caseID:time:facts:)`, whose facts are typed;
    /// this raw form stays for tests that write logs of their own.
    @discardableResult
    public func append(event: String, caseID: String, time: Instant = .now, facts: [(String, JSONOutput)]) throws -> Head {
        try withLockedLog { fd in try appendLocked(fd, event: event, caseID: caseID, time: time, facts: facts) }
    }

    /// Runs `body` with the log open for appending (created with its directory if need
    /// be) under an exclusive lock, after settling the exports of processes that are gone.
    func withLockedLog<T>(_ body: (Int32) throws -> T) throws -> T {
        try? FileManager.default.createDirectory(atPath: PathName.directory(path), withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            throw InputError(file: path, message: "cannot open the audit log: \(String(cString: strerror(errno)))", hint: "check audit_log in the configuration")
        }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw InputError(file: path, message: "cannot lock the audit log") }
        defer { flock(fd, LOCK_UN) }
        try settleExportsInFlight(fd)
        return try body(fd)
    }

    /// Appends one entry to the open, locked log `fd`.
    func appendLocked(_ fd: Int32, event: String, caseID: String, time: Instant, facts: [(String, JSONOutput)]) throws -> Head {
        let (sequence, prev) = try nextLink(fd)
        let line = Self.entryLine(sequence: sequence, time: time, event: event, caseID: caseID, facts: facts, prev: prev)
        try writeLocked(fd, line + [0x0A])
        return Head(sequence: sequence, hash: Hex.encode(SHA512.hash(line)))
    }

    /// The sequence number and `prev` hash that the next entry of the open, locked log takes.
    func nextLink(_ fd: Int32) throws -> (sequence: Int, prev: String) {
        guard let last = try lastLine(fd) else { return (1, AuditLog.genesis) }
        guard let entry = try? DocumentJSON.parse(last, file: path), case .object(let m) = entry.value,
              let seqNode = m.first(where: { $0.key == AuditFact.sequence.rawValue })?.value, case .number(let s) = seqNode.value, let n = Int(s) else {
            throw InputError(file: path, message: "the last audit entry is unreadable; refusing to extend a damaged log",
                             hint: "restore the log from backup; check it with:", next: .verifyAuditLog)
        }
        return (n + 1, Hex.encode(SHA512.hash(last)))
    }

    /// The bytes of one entry's line (without its LF): the one place the entry layout lives.
    static func entryLine(sequence: Int, time: Instant, event: String, caseID: String, facts: [(String, JSONOutput)], prev: String) -> [UInt8] {
        let entry = JSONOutput.object(AuditFact.members([(.sequence, .int(sequence)), (.time, .string(time.description)), (.event, .string(event)),
                                                         (.caseID, .string(caseID))]) + facts + AuditFact.members([(.prev, .string(prev))]))
        return Array(entry.compact.utf8)
    }

    /// Writes `bytes` (whole lines) at the end of the open, locked log in one write, and fsyncs.
    func writeLocked(_ fd: Int32, _ bytes: [UInt8]) throws {
        let failure = bytes.withUnsafeBytes { WriteAll.write(fd, $0) }
        if failure != 0 { throw EnvironmentError.failure(errno: failure, file: path, operation: "cannot append to the audit log") }
        guard fsync(fd) == 0 else { throw EnvironmentError.failure(errno: errno, file: path, operation: "cannot flush the audit log") }
    }

    /// The last complete line of the file (without its newline), nil when empty.
    func lastLine(_ fd: Int32) throws -> [UInt8]? {
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return nil }
        var window = 65_536
        while true {
            let start = max(0, Int(size) - window)
            var buf = [UInt8](repeating: 0, count: Int(size) - start)
            let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(start)) }
            guard n == buf.count else { throw InputError(file: path, message: "cannot read the audit log") }
            guard buf.last == 0x0A else {
                throw InputError(file: path, message: "the audit log ends in a partial line", hint: "restore the log from backup; check it with:", next: .verifyAuditLog)
            }
            buf.removeLast()
            if let nl = buf.lastIndex(of: 0x0A) { return Array(buf[(nl + 1)...]) }
            if start == 0 { return buf }
            window *= 4
        }
    }

    /// The outcome of walking the chain.
    public struct Verification: Sendable {
        /// Number of intact entries from the start.
        public var entries: Int
        /// The head after the last intact entry.
        public var head: Head
        /// The first problem, if any: line number and what is wrong.
        public var problem: (line: Int, message: String)?
        /// Hashes of the intact entries asked for by `verify(recording:)`, by sequence.
        public var recorded: [Int: String] = [:]
    }

    /// Walks the whole chain; reports the first broken, missing or reordered entry. The
    /// hashes of the intact entries numbered in `sequences` are kept in `recorded`, from
    /// the same single read (so a bundle's recorded head is compared with the very log
    /// whose chain was checked, not with a second read of it).
    public func verify(recording sequences: Set<Int> = []) throws -> Verification {
        guard FileManager.default.fileExists(atPath: path) else {
            return Verification(entries: 0, head: Head(sequence: 0, hash: AuditLog.genesis), problem: nil)
        }
        var walk = ChainWalk(file: path)
        var recorded: [Int: String] = [:]
        try LineReader.forEachLine(path: path) { line in
            if walk.step(line) != nil, sequences.contains(walk.entries) { recorded[walk.entries] = walk.prev }
        }
        var v = walk.verification
        v.recorded = recorded
        return v
    }
}

/// Line-by-line reading of moderately sized text files (audit logs, manifests).
enum LineReader {
    /// Calls `body` with each line without its newline; a final line without newline is an error.
    static func forEachLine(path: String, _ body: ([UInt8]) throws -> Void) throws {
        guard let fh = FileHandle(forReadingAtPath: path) else { throw InputError(file: path, message: "cannot open for reading") }
        defer { try? fh.close() }
        var pending: [UInt8] = []
        while let chunk = try fh.read(upToCount: 1 << 20), !chunk.isEmpty {
            pending.append(contentsOf: chunk)
            var start = 0
            while let nl = pending[start...].firstIndex(of: 0x0A) {
                try body(Array(pending[start..<nl]))
                start = nl + 1
            }
            pending.removeFirst(start)
            if pending.count > 16 << 20 { throw InputError(file: path, message: "line longer than 16 MiB") }
        }
        if !pending.isEmpty { throw InputError(file: path, message: "file ends in a partial line (interrupted write?)") }
    }
}
