import Foundation
import Minisign
import Sodium

/// `audit verify` decided: the hash chain, the provider's signed heads, the signed head
/// file beside the log and the heads bundles recorded. Fails closed: a missing log is an
/// input error, an emptied log fails when anything says it once held entries, and an
/// export that no signed head covers fails (its tail may have been rewritten).
public struct AuditCheck: Sendable {
    /// Entries intact from the start.
    public var entries: Int
    /// The head after the last intact entry.
    public var head: AuditLog.Head
    /// Signed heads checked.
    public var signedHeads: Int
    /// The newest entry covered by a signed head (0: none).
    public var lastSigned: Int
    /// Everything that is wrong; empty means the log passes.
    public var problems: [String]
    /// Per bundle given: its recorded sequence and whether the log still holds it.
    public var bundles: [(bundle: String, sequence: Int, ok: Bool)]

    /// True when nothing is wrong.
    public var ok: Bool { problems.isEmpty }
    /// Entries after the last signed head: what a writer without the key could still
    /// remove or alter unnoticed (unless a bundle or the signed head file records them).
    public var unsignedTail: Int { max(0, entries - lastSigned) }

    /// Checks `log`, reading it once. `signer` is the provider's public key; it is
    /// required (an `InputError`) when the log or its signed head file holds signed heads.
    public static func run(log: AuditLog, signer: PublicKey?, bundles: [String]) throws -> AuditCheck {
        var st = stat()
        guard stat(log.path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            throw InputError(file: log.path, message: "no audit log here",
                             hint: "check --log or audit_log in the configuration; an auditor never gets a pass for a log that is not there")
        }
        let headFile = try SignedHeadFile.load(log.signedHeadPath)
        let recorded = try bundles.map { (bundle: $0, head: try AuditLog.recordedHead(bundle: $0)) }
        var wanted = Set(recorded.map(\.head.sequence))
        if let h = headFile { wanted.insert(h.sequence) }

        // One pass: the chain, the signed heads, and the lines others recorded.
        var walk = ChainWalk(file: log.path)
        var scan = SignedHeadScan(signer: signer)
        var kept: [Int: [UInt8]] = [:]
        var previous: [UInt8] = []
        try LineReader.forEachLine(path: log.path) { line in
            let previousHash = walk.prev
            guard let node = walk.step(line) else { return }
            if wanted.contains(walk.entries) { kept[walk.entries] = line }
            scan.take(node, sequence: walk.entries, previous: previous, previousHash: previousHash)
            previous = line
        }
        let v = walk.verification
        var check = AuditCheck(entries: v.entries, head: v.head, signedHeads: scan.signedHeads, lastSigned: scan.lastSigned,
                               problems: [], bundles: [])
        if let p = v.problem { check.problems.append("line \(p.line): \(p.message)") }
        if signer == nil, scan.unchecked > 0 || headFile != nil {
            throw InputError(file: log.path, message: "the log holds heads signed by the provider, and no provider public key was given to check them",
                             hint: "pass --signer PROVIDER.pub, or set signing_public_key in the configuration")
        }
        check.problems += scan.problems
        if let newest = scan.exports.values.max(), newest > scan.lastSigned {
            check.problems.append("entry \(newest) (exported) is not covered by a signed head: entries after \(scan.lastSigned == 0 ? "the start" : "entry \(scan.lastSigned)") may have been removed or altered and the links recomputed")
        }
        check.checkHeadFile(headFile, line: headFile.flatMap { kept[$0.sequence] }, signer: signer, log: log)
        if v.entries == 0, v.problem == nil, headFile != nil || !bundles.isEmpty {
            check.problems.append("the audit log is empty, yet \(headFile != nil ? "its signed head file" : "a bundle") records entries: it was emptied")
        }
        for (b, head) in recorded {
            let hash = kept[head.sequence].map { Hex.encode(SHA512.hash($0)) }
            let problem = AuditLog.problem(against: head, verification: v, hashAtSequence: hash)
            if let problem { check.problems.append("\(b): \(problem)") }
            check.bundles.append((b, head.sequence, problem == nil))
        }
        return check
    }

    /// Checks the signed head file against the log's line it names (`line`, nil when the
    /// log does not hold that entry intact).
    private mutating func checkHeadFile(_ headFile: SignedHeadFile?, line: [UInt8]?, signer: PublicKey?, log: AuditLog) {
        guard let headFile else {
            if lastSigned > 0 {
                problems.append("the signed head file \(log.signedHeadPath) is missing, though the log holds signed heads: restore it from backup")
            }
            return
        }
        guard let signer else { return }
        guard let line else {
            problems.append("the signed head file records entry \(headFile.sequence), but the log \(entries == 0 ? "is empty" : "holds \(entries) intact entries"): it was cut back or rewritten")
            return
        }
        let head = AuditLog.Head(sequence: headFile.sequence, hash: Hex.encode(SHA512.hash(line)))
        if head.hash != headFile.sha512 {
            problems.append("entry \(headFile.sequence) differs from the one the signed head file records (the log was rewritten from there on)")
        } else if let p = AuditLog.headSignatureProblem(headFile.signature, line: line, head: head, signer: signer) {
            problems.append("the signed head file: \(p)")
        } else if lastSigned < headFile.sequence {
            problems.append("the signed head of entry \(headFile.sequence) (signed head file) is missing from the log")
        }
    }
}

/// The signed-head side of `AuditCheck`'s one pass: each `head_signed` entry checked
/// against the entry before it, and the exports that a signed head must cover.
struct SignedHeadScan {
    /// The provider's public key (nil: signatures are counted, not checked).
    let signer: PublicKey?
    /// Signed heads that verified.
    var signedHeads = 0
    /// The newest entry a verified signed head covers.
    var lastSigned = 0
    /// Signed heads seen without a key to check them.
    var unchecked = 0
    /// Exports not withdrawn by `export_failed`: bundle id → sequence.
    var exports: [String: Int] = [:]
    /// What is wrong.
    var problems: [String] = []

    /// Takes one intact entry; `previous` is the line before it, `previousHash` its hash.
    mutating func take(_ node: DocumentJSON.Node, sequence seq: Int, previous: [UInt8], previousHash: String) {
        switch node[.event]?.string {
        case CaseEvent.exported.rawValue:
            exports[node[.bundleID]?.string ?? "entry \(seq)"] = seq
        case CaseEvent.exportFailed.rawValue:
            if let b = node[.bundleID]?.string { exports[b] = nil }
        case AuditLog.headSignedEvent:
            let head = AuditLog.Head(sequence: seq - 1, hash: previousHash)
            if node[.signedSequence]?.int != head.sequence || node[.signedSHA512]?.string != head.hash {
                problems.append("entry \(seq) (signed head of entry \(head.sequence)): it names entry \(node[.signedSequence]?.int ?? 0), not the entry before it (entries were removed or moved)")
            } else if let signer {
                if let p = AuditLog.headSignatureProblem(node[.signature]?.string ?? "", line: previous, head: head, signer: signer) {
                    problems.append("entry \(seq) (signed head of entry \(head.sequence)): \(p)")
                } else {
                    signedHeads += 1
                    lastSigned = head.sequence
                }
            } else {
                unchecked += 1
            }
        default:
            break
        }
    }
}

/// The newest signed head, kept beside the log (`LOG.signed-head`).
struct SignedHeadFile: Sendable {
    /// The entry signed.
    var sequence: Int
    /// Hex SHA-512 of its line.
    var sha512: String
    /// The minisign signature over its line.
    var signature: String
    /// The signing key's id (as written; not trusted: the signature is checked).
    var keyID: String?

    /// Reads the file at `path`, or nil when there is none.
    static func load(_ path: String) throws -> SignedHeadFile? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        let root = try DocumentJSON.parse(try FileBytes.read(path: path, limit: 65_536), file: path)
        guard root[Member.format.rawValue]?.string == AuditLog.headCommentPrefix, let seq = root[Member.sequence.rawValue]?.int,
              let hash = root[Member.sha512.rawValue]?.string, let sig = root[Member.signature.rawValue]?.string else {
            throw InputError(file: path, message: "not a signed head file (\(AuditLog.headCommentPrefix))",
                             hint: "it is written by every export and audit checkpoint; restore it from backup")
        }
        return SignedHeadFile(sequence: seq, sha512: hash, signature: sig, keyID: root[Member.keyID.rawValue]?.string)
    }

    /// The file's members, named once for writing and reading.
    enum Member: String { case format, sequence, sha512, keyID = "key_id", signature }

    /// The file's contents, as `AuditLog` writes it beside the log.
    var json: JSONOutput {
        .object([(Member.format.rawValue, .string(AuditLog.headCommentPrefix)), (Member.sequence.rawValue, .int(sequence)),
                 (Member.sha512.rawValue, .string(sha512)), (Member.keyID.rawValue, .optional(keyID)),
                 (Member.signature.rawValue, .string(signature))])
    }
}
