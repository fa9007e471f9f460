import CSodium

/// HMAC-SHA-256 under one fixed key for many short messages (pseudonyms): the keyed
/// state is computed once and copied per message, and the MAC goes into a caller's
/// buffer — no guarded-memory allocation per call on the data path. The keyed state is
/// wiped when the object is released.
public final class KeyedHMACSHA256: @unchecked Sendable {
    private var state = crypto_auth_hmacsha256_state()

    /// Prepares the keyed state for `key`.
    public init(key: SecretBytes) {
        Library.ensureInitialized()
        key.withUnsafeBytes { k in
            _ = crypto_auth_hmacsha256_init(&state, k.bindMemory(to: UInt8.self).baseAddress!, k.count)
        }
    }

    deinit { withUnsafeMutableBytes(of: &state) { Memory.wipe($0) } }

    /// Writes HMAC-SHA-256(key, `data`) into `output` (at least 32 bytes).
    public func authenticate(_ data: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= HMACSHA256.outputLength)
        var s = state
        if data.count > 0 {
            _ = crypto_auth_hmacsha256_update(&s, data.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(data.count))
        }
        _ = crypto_auth_hmacsha256_final(&s, output.baseAddress!.assumingMemoryBound(to: UInt8.self))
        withUnsafeMutableBytes(of: &s) { Memory.wipe($0) }
    }
}
