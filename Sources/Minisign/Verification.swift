import Foundation
import Sodium

extension PublicKey {
    /// Verifies `signature` over `message` in minisign's order: legacy check, key id,
    /// message signature, then the global signature over the trusted comment.
    ///
    /// - Parameter allowLegacy: accept legacy `Ed` (non-prehashed) signatures. Off by
    ///   default, like `minisign -V -H` and as minisign's documentation asks of new
    ///   implementations.
    /// - Returns: the trusted comment, now verified.
    /// - Throws: `legacySignature`, `keyIDMismatch`, `invalidSignature`,
    ///   `invalidTrustedCommentSignature`.
    @discardableResult
    public func verify(_ signature: Signature, message: [UInt8], allowLegacy: Bool = false) throws -> String {
        try checkPolicy(signature, allowLegacy: allowLegacy)
        let signed = signature.algorithm == .prehashed ? MessageDigest.hash(message) : message
        return try checkSignatures(signature, signed: signed)
    }

    /// Verifies a prehashed signature given the message's 64-byte BLAKE2b-512 prehash
    /// (see `MessageDigest`), for streamed messages. A legacy signature cannot be checked
    /// from a prehash and always throws `legacySignature`.
    @discardableResult
    public func verify(_ signature: Signature, prehash: [UInt8]) throws -> String {
        guard prehash.count == MessageDigest.length else {
            throw MinisignError.malformed("prehash must be \(MessageDigest.length) bytes, got \(prehash.count)")
        }
        try checkPolicy(signature, allowLegacy: false)
        return try checkSignatures(signature, signed: prehash)
    }

    /// Verifies a signature over a file, streaming it for prehashed signatures (legacy
    /// ones, when allowed, read the whole file). Otherwise as `verify(_:message:allowLegacy:)`.
    @discardableResult
    public func verify(_ signature: Signature, contentsOf url: URL, allowLegacy: Bool = false) throws -> String {
        try checkPolicy(signature, allowLegacy: allowLegacy)
        let signed = signature.algorithm == .prehashed
            ? try MessageDigest.hash(contentsOf: url)
            : [UInt8](try Data(contentsOf: url))
        return try checkSignatures(signature, signed: signed)
    }

    /// Steps 1–2 of minisign's order: legacy policy, then key id.
    private func checkPolicy(_ signature: Signature, allowLegacy: Bool) throws {
        if signature.algorithm == .legacy && !allowLegacy { throw MinisignError.legacySignature }
        guard signature.keyID == keyID else {
            throw MinisignError.keyIDMismatch(expected: keyID, found: signature.keyID)
        }
    }

    /// Steps 3–4: the message signature, then the global signature.
    private func checkSignatures(_ signature: Signature, signed: [UInt8]) throws -> String {
        guard Ed25519.verify(signature.ed25519Signature, message: signed, publicKey: rawRepresentation) else {
            throw MinisignError.invalidSignature
        }
        guard Ed25519.verify(signature.globalSignature, message: signature.globalSignedBytes,
                             publicKey: rawRepresentation) else {
            throw MinisignError.invalidTrustedCommentSignature
        }
        return signature.trustedComment
    }
}
