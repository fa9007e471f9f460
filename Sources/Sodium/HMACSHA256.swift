import CSodium

/// HMAC-SHA-256 with a key of any length (libsodium init/update/final), and
/// HKDF-SHA-256 (RFC 5869) built on it — libsodium 1.0.18 has no HKDF.
public struct HMACSHA256: ~Copyable {
    /// Output length in bytes.
    public static let outputLength = 32
    private var state = crypto_auth_hmacsha256_state()

    /// Starts a MAC under `key` (any length; an empty key equals 32 zero bytes).
    public init(key: UnsafeRawBufferPointer) {
        Library.ensureInitialized()
        if key.count > 0 {
            _ = crypto_auth_hmacsha256_init(&state, key.baseAddress!.assumingMemoryBound(to: UInt8.self), key.count)
        } else {
            var zero: UInt8 = 0
            _ = crypto_auth_hmacsha256_init(&state, &zero, 0)
        }
    }

    /// Adds bytes to the MAC.
    public mutating func update(_ data: UnsafeRawBufferPointer) {
        guard data.count > 0 else { return }
        _ = crypto_auth_hmacsha256_update(&state, data.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(data.count))
    }

    /// Adds bytes to the MAC.
    public mutating func update(_ data: [UInt8]) { data.withUnsafeBytes { update($0) } }

    /// Finishes into guarded memory and wipes the state.
    public consuming func finalize() -> SecretBytes {
        let out = SecretBytes(count: Self.outputLength)
        out.withUnsafeMutableBytes { o in
            _ = crypto_auth_hmacsha256_final(&state, o.bindMemory(to: UInt8.self).baseAddress!)
        }
        withUnsafeMutableBytes(of: &state) { Memory.wipe($0) }
        return out
    }

    /// One-shot HMAC of `data` under `key`.
    public static func authenticate(key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer) -> SecretBytes {
        var h = HMACSHA256(key: key)
        h.update(data)
        return h.finalize()
    }
}
