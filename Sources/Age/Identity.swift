import Sodium

/// An X25519 identity: the secret key that decrypts files sent to its `recipient`,
/// written `AGE-SECRET-KEY-1…`.
///
/// The 32 secret bytes live in libsodium guarded memory (`SecretBytes`) and are wiped
/// when the last copy of the identity goes away. `description` shows only the public
/// recipient, so an identity can be logged without leaking the key.
public struct Identity: Sendable, CustomStringConvertible {
    /// The Bech32 human-readable part of identity strings (always uppercase).
    static let hrp = "AGE-SECRET-KEY-"

    let secretKey: SecretBytes
    /// The public recipient that files for this identity are encrypted to.
    public let recipient: Recipient

    init(secretKey: SecretBytes) throws(AgeError) {
        guard secretKey.count == X25519.keyLength else {
            throw .invalidKey("identity secret key must be 32 bytes, got \(secretKey.count)")
        }
        let pub: [UInt8]
        do { pub = try X25519.publicKey(secret: secretKey) } catch {
            throw .invalidKey("identity secret key has no valid public key")
        }
        self.secretKey = secretKey
        self.recipient = try Recipient(publicKey: pub)
    }

    /// A fresh identity from the system CSPRNG, as `age-keygen` makes.
    public static func generate() -> Identity {
        // 32 random bytes always give a valid X25519 public key.
        try! Identity(secretKey: SecretBytes.random(count: X25519.keyLength))
    }

    /// Parses an identity string `AGE-SECRET-KEY-1…`. The prefix is matched exactly, so
    /// an all-lowercase identity is rejected, as age 1.1.1 does.
    public init(parsing string: String) throws(AgeError) {
        var decoded: (hrp: String, data: [UInt8])
        do { decoded = try Bech32.decode(string) } catch {
            throw .invalidKey("malformed identity: \(error)")
        }
        defer { Memory.wipe(&decoded.data) }
        guard decoded.hrp == Self.hrp else {
            throw .invalidKey("unknown identity type (expected \"AGE-SECRET-KEY-1…\")")
        }
        try self.init(secretKey: SecretBytes(copying: decoded.data))
    }

    /// The recipient string; the secret is never printed.
    public var description: String { "Identity(\(recipient))" }

    /// The secret key string `AGE-SECRET-KEY-1…`. Internal: only `IdentityFile` uses it,
    /// to write a key file. Swift strings cannot be wiped, so keep its lifetime short.
    func secretKeyString() -> String {
        Bech32.encode(hrp: Self.hrp, data: secretKey.copyBytes())
    }

    /// Tries to unwrap the file key from `stanzas`. Returns nil when no `X25519` stanza is
    /// addressed to this identity. Throws a header failure for a low-order share (the
    /// stanzas must already have passed `X25519Stanza.validate`).
    func unwrap(_ stanzas: [Stanza]) throws(AgeError) -> SecretBytes? {
        for stanza in stanzas where stanza.type == X25519Stanza.type {
            let share = Base64.unpadded.decode(stanza.arguments[0]) ?? []
            let shared: SecretBytes
            do { shared = try X25519.sharedSecret(secret: secretKey, point: share) } catch {
                throw .headerFailure("X25519 stanza share is a low-order point (all-zero shared secret)")
            }
            let wrapKey = HKDF.sha256(ikm: shared, salt: share + recipient.publicKey, info: X25519Stanza.info)
            let fileKey = SecretBytes(count: X25519Stanza.fileKeyLength)
            let opened: Bool = wrapKey.withUnsafeBytes { k in
                X25519Stanza.zeroNonce.withUnsafeBytes { n in
                    stanza.body.withUnsafeBytes { c in
                        fileKey.withUnsafeMutableBytes { o in
                            (try? ChaCha20Poly1305.open(key: k, nonce: n, ciphertext: c, output: o)) != nil
                        }
                    }
                }
            }
            if opened { return fileKey }
        }
        return nil
    }
}
