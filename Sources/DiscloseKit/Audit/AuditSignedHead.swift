import Foundation
import Minisign
import Sodium

/// The keyed audit chain. A plain hash chain proves order only to someone who holds a
/// later head: whoever can write the log can delete an entry and recompute every link
/// after it. So the provider signs heads with its minisign signing key — at every export
/// (in the same write as the `exported` entry) and at checkpoints (`disclose audit
/// checkpoint`) — as a `head_signed` entry that follows the entry it signs. Its signature
/// covers that entry's line, whose `prev` covers everything before it, so no entry up to
/// a signed head can be removed, altered or reordered without the key. The newest signed
/// head is also kept beside the log (`LOG.signed-head`), so a log cut back below it, or
/// emptied, is detected even without a bundle.
extension AuditLog {
    /// The event of a signed head entry.
    public static let headSignedEvent = "head_signed"
    /// Marker at the start of a signed head's trusted comment.
    public static let headCommentPrefix = "disclose-audit-head/1"

    /// The file beside the log that holds the newest signed head.
    public var signedHeadPath: String { path + ".signed-head" }

    /// Appends `event` and, in the same write, a `head_signed` entry that signs it with
    /// `key`; updates the signed head file. Returns the head of the `event` entry (what a
    /// bundle records).
    @discardableResult
    public func appendSigned(event: String, caseID: String, time: Instant = .now, facts: [(AuditFact, JSONOutput)],
                             key: SecretKey) throws -> Head {
        try withLockedLog { fd in try appendSignedLocked(fd, event: event, caseID: caseID, time: time, facts: facts, key: key) }
    }

    /// Appends one entry and its signed head to the open, locked log `fd`, in one write.
    func appendSignedLocked(_ fd: Int32, event: String, caseID: String, time: Instant, facts: [(AuditFact, JSONOutput)],
                            key: SecretKey) throws -> Head {
        let (sequence, prev) = try nextLink(fd)
        let line = Self.entryLine(sequence: sequence, time: time, event: event, caseID: caseID, facts: AuditFact.members(facts), prev: prev)
        let head = Head(sequence: sequence, hash: Hex.encode(SHA512.hash(line)))
        let (signedLine, record) = try signedHead(of: line, head: head, caseID: caseID, time: time, key: key)
        try writeLocked(fd, line + [0x0A] + signedLine + [0x0A])
        try AtomicFile.write(record, to: signedHeadPath, mode: 0o640, overwrite: true)
        return head
    }

    /// Signs the log's current head with `key` (a checkpoint between exports). Returns the
    /// head signed. An empty log has no head to sign.
    @discardableResult
    public func checkpoint(key: SecretKey, time: Instant = .now) throws -> Head {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError(file: path, message: "no audit log here", hint: "check audit_log in the configuration")
        }
        return try withLockedLog { fd in
            guard let last = try lastLine(fd) else {
                throw Refusal("the audit log \(path) is empty: there is no head to sign")
            }
            let (next, hash) = try nextLink(fd)
            let head = Head(sequence: next - 1, hash: hash)
            let caseID = (try? DocumentJSON.parse(last, file: path))?[.caseID]?.string ?? ""
            let (signedLine, record) = try signedHead(of: last, head: head, caseID: caseID, time: time, key: key)
            try writeLocked(fd, signedLine + [0x0A])
            try AtomicFile.write(record, to: signedHeadPath, mode: 0o640, overwrite: true)
            return head
        }
    }

    /// The trusted comment of the signature over entry `head`.
    static func headComment(_ head: Head) -> String {
        "\(headCommentPrefix)\tseq:\(head.sequence)\tsha512:\(head.hash)"
    }

    /// The `head_signed` entry that follows `head` (whose line is `line`), and the signed
    /// head file's contents.
    private func signedHead(of line: [UInt8], head: Head, caseID: String, time: Instant, key: SecretKey) throws -> (line: [UInt8], file: [UInt8]) {
        let signature = try key.sign(line, trustedComment: Self.headComment(head),
                                     untrustedComment: "disclose audit head \(head.sequence) of \((path as NSString).lastPathComponent)")
        let keyID = key.publicKey.keyIDString
        let entry = Self.entryLine(sequence: head.sequence + 1, time: time, event: Self.headSignedEvent, caseID: caseID, facts: AuditFact.members([
            (.signedSequence, .int(head.sequence)), (.signedSHA512, .string(head.hash)),
            (.keyID, .string(keyID)), (.signature, .string(signature.fileContents)),
        ]), prev: head.hash)
        let file = SignedHeadFile(sequence: head.sequence, sha512: head.hash, signature: signature.fileContents, keyID: keyID).json
        return (entry, Array(file.pretty.utf8))
    }

    /// Whether `signatureText` is the provider's (`signer`) signature over entry `head`,
    /// whose line is `line`. Returns nil when it is, else what is wrong.
    static func headSignatureProblem(_ signatureText: String, line: [UInt8], head: Head, signer: PublicKey) -> String? {
        guard let sig = try? Signature(fileContents: signatureText) else { return "not a minisign signature" }
        guard sig.keyID == signer.keyID else { return "signed by key \(sig.keyID), not the provider key \(signer.keyID)" }
        guard let comment = try? signer.verify(sig, message: line) else {
            return "the signature does not verify over entry \(head.sequence) (forged, or the entry was altered)"
        }
        guard comment == headComment(head) else { return "the signature's trusted comment names another head" }
        return nil
    }
}
