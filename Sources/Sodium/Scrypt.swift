import CSodium

/// scrypt as libsodium's `crypto_pwhash_scryptsalsa208sha256`, which is what minisign
/// uses to encrypt secret keys (opslimit/memlimit stored in the key file).
public enum Scrypt {
    /// The limits minisign 0.11 writes (N = 2^20, r = 8, p = 1; about 1 GiB).
    public static let minisignOpsLimit: UInt64 = 33_554_432
    /// See `minisignOpsLimit`.
    public static let minisignMemLimit: UInt64 = 1_073_741_824

    /// Derives `length` bytes from `password` and a 32-byte `salt` with the stored limits.
    public static func derive(password: SecretBytes, salt: [UInt8], opsLimit: UInt64, memLimit: UInt64, length: Int) throws -> SecretBytes {
        Library.ensureInitialized()
        guard salt.count == 32 else { throw CryptoError.invalidLength(expected: 32, actual: salt.count) }
        let out = SecretBytes(count: length)
        let rc = out.withUnsafeMutableBytes { o in
            password.withUnsafeBytes { p in
                salt.withUnsafeBytes { s in
                    crypto_pwhash_scryptsalsa208sha256(
                        o.bindMemory(to: UInt8.self).baseAddress!, UInt64(length),
                        p.baseAddress!.assumingMemoryBound(to: CChar.self), // never nil: SecretBytes allocates ≥ 1 byte
                        UInt64(p.count),
                        s.bindMemory(to: UInt8.self).baseAddress!,
                        opsLimit, Int(clamping: memLimit))
                }
            }
        }
        guard rc == 0 else { throw CryptoError.keyDerivationFailed }
        return out
    }
}
