import CSodium

/// The system CSPRNG (libsodium `randombytes_buf`).
public enum Random {
    /// `count` bytes of cryptographically secure randomness, for public values
    /// (nonces, key ids, salts). Use `SecretBytes.random` for secrets.
    public static func bytes(_ count: Int) -> [UInt8] {
        Library.ensureInitialized()
        var out = [UInt8](repeating: 0, count: count)
        if count > 0 { out.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, count) } }
        return out
    }
}
