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

    /// Checks `log`. `signer` is the provider's public key; it is required (an
    /// `InputError`) when the log or its signed head file holds signed heads.
    public static func run(log: AuditLog, signer: PublicKey?, bundles: [String]) throws -> AuditCheck {
        var st = stat()
        guard stat(log.path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            throw InputError(file: log.path, message: "no audit log here",
                             hint: "check --log or audit_log in the configuration; an auditor never gets a pass for a log that is not there")
        }
        let v = try log.verify()
        var check = AuditCheck(entries: v.entries, head: v.head, signedHeads: 0, lastSigned: 0, problems: [], bundles: [])
        if let p = v.problem { check.problems.append("line \(p.line): \(p.message)") }
        let headFile = try SignedHeadFile.load(log.signedHeadPath)
        try check.walkSignedHeads(log, signer: signer, headFile: headFile)
        if v.entries == 0, v.problem == nil, headFile == nil, bundles.isEmpty {
            // An empty log that nothing says once held entries: a configuration that has
            // recorded nothing yet. Said so, not failed.
        } else if v.entries == 0, v.problem == nil {
            check.problems.append("the audit log is empty, yet \(headFile != nil ? "its signed head file" : "a bundle") records entries: it was emptied")
        }
        for b in bundles {
            let recorded = try AuditLog.recordedHead(bundle: b)
            let problem = try log.problem(against: recorded, verification: v)
            if let problem { check.problems.append("\(b): \(problem)") }
            check.bundles.append((b, recorded.sequence, problem == nil))
        }
        return check
    }

    /// Walks the intact entries: checks every `head_signed` entry against `signer`, that
    /// the newest export is covered by a signed head, and the signed head file.
    private mutating func walkSignedHeads(_ log: AuditLog, signer: PublicKey?, headFile: SignedHeadFile?) throws {
        var previous: [UInt8] = []
        var previousHash = AuditLog.genesis
        var exports: [String: Int] = [:]
        var lineNumber = 0
        var headFileLine: [UInt8]? = nil
        var unchecked = 0
        let intact = entries
        try LineReader.forEachLine(path: log.path) { line in
            lineNumber += 1
            guard lineNumber <= intact, let node = try? DocumentJSON.parse(line, file: log.path) else { return }
            let seq = node["seq"]?.int ?? lineNumber
            if seq == headFile?.sequence { headFileLine = line }
            switch node["event"]?.string {
            case CaseEvent.exported.rawValue:
                exports[node["bundle_id"]?.string ?? "entry \(seq)"] = seq
            case CaseEvent.exportFailed.rawValue:
                if let b = node["bundle_id"]?.string { exports[b] = nil }
            case AuditLog.headSignedEvent:
                let head = AuditLog.Head(sequence: seq - 1, hash: previousHash)
                if node["signed_seq"]?.int != head.sequence || node["signed_sha512"]?.string != head.hash {
                    problems.append("entry \(seq) (signed head of entry \(head.sequence)): it names entry \(node["signed_seq"]?.int ?? 0), not the entry before it (entries were removed or moved)")
                } else if let signer {
                    if let p = AuditLog.headSignatureProblem(node["signature"]?.string ?? "", line: previous, head: head, signer: signer) {
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
            previous = line
            previousHash = Hex.encode(SHA512.hash(line))
        }
        if signer == nil, unchecked > 0 || headFile != nil {
            throw InputError(file: log.path, message: "the log holds heads signed by the provider, and no provider public key was given to check them",
                             hint: "pass --signer PROVIDER.pub, or set signing_public_key in the configuration")
        }
        if let newest = exports.values.max(), newest > lastSigned {
            problems.append("entry \(newest) (exported) is not covered by a signed head: entries after \(lastSigned == 0 ? "the start" : "entry \(lastSigned)") may have been removed or altered and the links recomputed")
        }
        if headFile == nil, lastSigned > 0 {
            problems.append("the signed head file \(log.signedHeadPath) is missing, though the log holds signed heads: restore it from backup")
        }
        if let headFile, let signer {
            if headFile.sequence > intact {
                problems.append("the signed head file records entry \(headFile.sequence), but the log \(entries == 0 ? "is empty" : "holds \(intact) intact entries"): it was cut back or rewritten")
            } else if let line = headFileLine {
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

    /// Reads the file at `path`, or nil when there is none.
    static func load(_ path: String) throws -> SignedHeadFile? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        let root = try DocumentJSON.parse(try FileBytes.read(path: path, limit: 65_536), file: path)
        guard root["format"]?.string == AuditLog.headCommentPrefix, let seq = root["sequence"]?.int, let hash = root["sha512"]?.string,
              let sig = root["signature"]?.string else {
            throw InputError(file: path, message: "not a signed head file (\(AuditLog.headCommentPrefix))",
                             hint: "it is written by export and disclose audit checkpoint; restore it from backup")
        }
        return SignedHeadFile(sequence: seq, sha512: hash, signature: sig)
    }
}
