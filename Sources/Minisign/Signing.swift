import Foundation
import Sodium

extension SecretKey {
    /// Signs `message` as minisign 0.11 `-S` does: a prehashed (`ED`) signature, i.e.
    /// Ed25519 over BLAKE2b-512 of the message, plus the global signature over
    /// signature ‖ `trustedComment`.
    ///
    /// Comments must be single lines without NUL, at most
    /// `Signature.maximumTrustedCommentLength` / `maximumUntrustedCommentLength` bytes;
    /// otherwise `invalidComment` is thrown. Use
    /// `Signature.defaultTrustedComment(fileName:timestamp:)` for minisign's default.
    public func sign(_ message: [UInt8], trustedComment: String,
                     untrustedComment: String = Signature.defaultUntrustedComment) throws -> Signature {
        try sign(prehash: MessageDigest.hash(message), trustedComment: trustedComment, untrustedComment: untrustedComment)
    }

    /// Signs a message given by its 64-byte BLAKE2b-512 prehash (see `MessageDigest`),
    /// for messages streamed in chunks. Otherwise as `sign(_:trustedComment:untrustedComment:)`.
    public func sign(prehash: [UInt8], trustedComment: String,
                     untrustedComment: String = Signature.defaultUntrustedComment) throws -> Signature {
        guard prehash.count == MessageDigest.length else {
            throw MinisignError.malformed("prehash must be \(MessageDigest.length) bytes, got \(prehash.count)")
        }
        let untrusted = try Framing.validateComment(untrustedComment, limit: Framing.maxUntrustedComment,
                                                    what: "untrusted comment")
        let trusted = try Framing.validateComment(trustedComment, limit: Framing.maxTrustedComment,
                                                  what: "trusted comment")
        let signature = try Ed25519.sign(prehash, secretKey: secret)
        let global = try Ed25519.sign(signature + trusted, secretKey: secret)
        return Signature(algorithm: .prehashed, keyID: keyID, ed25519Signature: signature, globalSignature: global,
                         untrustedComment: untrusted, trustedComment: trusted)
    }

    /// Signs a file, streaming it through BLAKE2b-512. `trustedComment` defaults to
    /// minisign's `timestamp:<now>\tfile:<basename>\thashed`.
    public func sign(contentsOf url: URL, trustedComment: String? = nil,
                     untrustedComment: String = Signature.defaultUntrustedComment) throws -> Signature {
        let prehash = try MessageDigest.hash(contentsOf: url)
        return try sign(prehash: prehash,
                        trustedComment: trustedComment ?? Signature.defaultTrustedComment(fileName: url.lastPathComponent),
                        untrustedComment: untrustedComment)
    }
}
