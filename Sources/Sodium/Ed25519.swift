import CSodium

/// Ed25519 signatures (libsodium `crypto_sign_*`), deterministic, as minisign uses.
public enum Ed25519 {
    /// Public key length.
    public static let publicKeyLength = 32
    /// Secret key length in libsodium form (32-byte seed ‖ 32-byte public key).
    public static let secretKeyLength = 64
    /// Signature length.
    public static let signatureLength = 64

    /// A fresh key pair: (public key, secret key in guarded memory).
    public static func generateKeyPair() -> (publicKey: [UInt8], secretKey: SecretBytes) {
        Library.ensureInitialized()
        var pk = [UInt8](repeating: 0, count: publicKeyLength)
        let sk = SecretBytes(count: secretKeyLength)
        sk.withUnsafeMutableBytes { s in
            pk.withUnsafeMutableBytes { p in
                _ = crypto_sign_keypair(p.bindMemory(to: UInt8.self).baseAddress!, s.bindMemory(to: UInt8.self).baseAddress!)
            }
        }
        return (pk, sk)
    }

    /// The public key embedded in a 64-byte libsodium secret key.
    public static func publicKey(secretKey: SecretBytes) throws -> [UInt8] {
        Library.ensureInitialized()
        guard secretKey.count == secretKeyLength else { throw CryptoError.invalidLength(expected: secretKeyLength, actual: secretKey.count) }
        var pk = [UInt8](repeating: 0, count: publicKeyLength)
        secretKey.withUnsafeBytes { s in
            pk.withUnsafeMutableBytes { p in
                _ = crypto_sign_ed25519_sk_to_pk(p.bindMemory(to: UInt8.self).baseAddress!, s.bindMemory(to: UInt8.self).baseAddress!)
            }
        }
        return pk
    }

    /// Signs `message` (plain Ed25519, not Ed25519ph).
    public static func sign(_ message: [UInt8], secretKey: SecretBytes) throws -> [UInt8] {
        Library.ensureInitialized()
        guard secretKey.count == secretKeyLength else { throw CryptoError.invalidLength(expected: secretKeyLength, actual: secretKey.count) }
        var sig = [UInt8](repeating: 0, count: signatureLength)
        secretKey.withUnsafeBytes { s in
            message.withUnsafeBytes { m in
                sig.withUnsafeMutableBytes { o in
                    _ = crypto_sign_detached(o.bindMemory(to: UInt8.self).baseAddress!, nil,
                                             m.count > 0 ? m.bindMemory(to: UInt8.self).baseAddress! : nil, UInt64(m.count),
                                             s.bindMemory(to: UInt8.self).baseAddress!)
                }
            }
        }
        return sig
    }

    /// True when `signature` is a valid signature of `message` under `publicKey`.
    public static func verify(_ signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        Library.ensureInitialized()
        guard signature.count == signatureLength, publicKey.count == publicKeyLength else { return false }
        return signature.withUnsafeBytes { s in
            message.withUnsafeBytes { m in
                publicKey.withUnsafeBytes { p in
                    crypto_sign_verify_detached(s.bindMemory(to: UInt8.self).baseAddress!,
                                                m.count > 0 ? m.bindMemory(to: UInt8.self).baseAddress! : nil, UInt64(m.count),
                                                p.bindMemory(to: UInt8.self).baseAddress!) == 0
                }
            }
        }
    }
}
