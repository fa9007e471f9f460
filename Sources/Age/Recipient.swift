import Sodium

/// An X25519 recipient: the public key a file is encrypted to, written `age1…`.
///
/// A value type holding only public bytes, so it can be stored, compared, printed and
/// shared across threads freely.
public struct Recipient: Sendable, Hashable, CustomStringConvertible {
    /// The Bech32 human-readable part of recipient strings (always lowercase).
    static let hrp = "age"

    /// The 32-byte X25519 public key.
    public let publicKey: [UInt8]

    /// Wraps a raw 32-byte X25519 public key.
    public init(publicKey: [UInt8]) throws(AgeError) {
        guard publicKey.count == X25519.keyLength else {
            throw .invalidKey("recipient public key must be 32 bytes, got \(publicKey.count)")
        }
        self.publicKey = publicKey
    }

    /// Parses a recipient string `age1…` (lowercase Bech32, as `age-keygen -y` prints).
    /// An uppercase `AGE1…` is rejected, as age 1.1.1 does.
    public init(parsing string: String) throws(AgeError) {
        let decoded: (hrp: String, data: [UInt8])
        do { decoded = try Bech32.decode(string) } catch {
            throw .invalidKey("malformed recipient: \(error)")
        }
        guard decoded.hrp == Self.hrp else {
            throw .invalidKey("unknown recipient type (expected lowercase \"age1…\")")
        }
        try self.init(publicKey: decoded.data)
    }

    /// The recipient string, `age1…`.
    public var description: String { Bech32.encode(hrp: Self.hrp, data: publicKey) }

    /// Builds an `X25519` stanza wrapping `fileKey` for this recipient, with a fresh
    /// ephemeral secret. Refuses low-order public keys (all-zero shared secret).
    func wrap(fileKey: SecretBytes) throws(AgeError) -> Stanza {
        let ephemeral = SecretBytes.random(count: X25519.keyLength)
        let share: [UInt8]
        let shared: SecretBytes
        do {
            share = try X25519.publicKey(secret: ephemeral)
            shared = try X25519.sharedSecret(secret: ephemeral, point: publicKey)
        } catch {
            throw .invalidKey("recipient \(self) is a low-order point; refusing to encrypt to it")
        }
        let wrapKey = HKDF.sha256(ikm: shared, salt: share + publicKey, info: X25519Stanza.info)
        var body = [UInt8](repeating: 0, count: X25519Stanza.bodyLength)
        wrapKey.withUnsafeBytes { k in
            fileKey.withUnsafeBytes { fk in
                X25519Stanza.zeroNonce.withUnsafeBytes { n in
                    body.withUnsafeMutableBytes { o in ChaCha20Poly1305.seal(key: k, nonce: n, plaintext: fk, output: o) }
                }
            }
        }
        return Stanza(type: X25519Stanza.type, arguments: [Base64.unpadded.encode(share)], body: body)
    }
}
