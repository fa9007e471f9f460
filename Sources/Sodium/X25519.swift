import CSodium

/// X25519 Diffie-Hellman (RFC 7748), as used by age recipients.
public enum X25519 {
    /// Length of scalars, points and shared secrets.
    public static let keyLength = 32

    /// The public point for a 32-byte secret scalar (clamping happens inside).
    public static func publicKey(secret: SecretBytes) throws -> [UInt8] {
        Library.ensureInitialized()
        guard secret.count == keyLength else { throw CryptoError.invalidLength(expected: keyLength, actual: secret.count) }
        var out = [UInt8](repeating: 0, count: keyLength)
        let rc = secret.withUnsafeBytes { s in
            out.withUnsafeMutableBytes { crypto_scalarmult_base($0.baseAddress!, s.bindMemory(to: UInt8.self).baseAddress!) }
        }
        guard rc == 0 else { throw CryptoError.lowOrderPoint }
        return out
    }

    /// The shared secret of `secret` and `point`. Throws `lowOrderPoint` when the
    /// result is all zeros, which age treats as a hard error on both sides.
    public static func sharedSecret(secret: SecretBytes, point: [UInt8]) throws -> SecretBytes {
        Library.ensureInitialized()
        guard secret.count == keyLength else { throw CryptoError.invalidLength(expected: keyLength, actual: secret.count) }
        guard point.count == keyLength else { throw CryptoError.invalidLength(expected: keyLength, actual: point.count) }
        let out = SecretBytes(count: keyLength)
        let rc = out.withUnsafeMutableBytes { o in
            secret.withUnsafeBytes { s in
                point.withUnsafeBytes { p in
                    crypto_scalarmult(o.bindMemory(to: UInt8.self).baseAddress!,
                                      s.bindMemory(to: UInt8.self).baseAddress!,
                                      p.bindMemory(to: UInt8.self).baseAddress!)
                }
            }
        }
        guard rc == 0 else { throw CryptoError.lowOrderPoint }
        return out
    }
}
