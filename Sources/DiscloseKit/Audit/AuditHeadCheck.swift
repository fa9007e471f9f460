import Foundation
import Sodium

/// Checking the audit log against a head recorded elsewhere — in a bundle's
/// `disclosure.json` — which is how truncation is detected: the chain alone cannot tell
/// a log whose last entries were cut off from one that simply ended there.
extension AuditLog {
    /// The head a bundle recorded (`audit_head` of its `disclosure.json`).
    public static func recordedHead(bundle: String) throws -> Head {
        let file = PathName.join(bundle, "disclosure.json")
        // Through the bundle's directory, never a link, read once.
        let bytes = try DirectoryHandle(path: bundle).read("disclosure.json", limit: DocumentJSON.maxBytes)
        guard let head = try DisclosureDocument.auditHead(bytes, file: file), head.sha512.utf8.count == 128 else {
            throw InputError(file: file, field: "audit_head", message: "no audit head {sequence, sha512} in this bundle manifest")
        }
        return Head(sequence: head.sequence, hash: head.sha512)
    }

    /// Whether the log still holds entry `head.sequence` with exactly the hash a bundle
    /// recorded. Returns nil when it does, else what is wrong (truncated, or replaced).
    /// `verification` is the result of `verify(recording:)` on the same log, asked to
    /// record `head.sequence`: then the log is not read again.
    public func problem(against head: Head, verification: Verification) throws -> String? {
        var hash = verification.recorded[head.sequence]
        var n = 0
        if hash == nil, head.sequence > 0, head.sequence <= verification.entries {
            try LineReader.forEachLine(path: path) { line in
                n += 1
                if n == head.sequence { hash = Hex.encode(SHA512.hash(line)) }
            }
        }
        return Self.problem(against: head, verification: verification, hashAtSequence: hash)
    }

    /// The same check, given the hash of the log's entry `head.sequence` (nil when the
    /// log does not hold it) from a pass that already read the log.
    static func problem(against head: Head, verification: Verification, hashAtSequence hash: String?) -> String? {
        if head.sequence == 0 { return nil }
        guard head.sequence <= verification.entries else {
            if verification.problem == nil {
                return "the log is truncated: a bundle records entry \(head.sequence), but the log ends at entry \(verification.entries)"
            }
            return "entry \(head.sequence), which a bundle records, lies beyond the first broken entry (\(verification.entries + 1))"
        }
        guard hash == head.hash else {
            return "entry \(head.sequence) differs from the one a bundle recorded (the log was rewritten from there on)"
        }
        return nil
    }
}
