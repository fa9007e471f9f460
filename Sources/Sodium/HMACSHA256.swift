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

/// HKDF-SHA-256 (RFC 5869), Extract then Expand, for outputs of up to 32 bytes —
/// all that age needs.
public enum HKDF {
    /// Derives `length` (≤ 32) bytes from `ikm` with `salt` and `info`.
    public static func sha256(ikm: SecretBytes, salt: [UInt8], info: [UInt8], length: Int = 32) -> SecretBytes {
        ikm.withUnsafeBytes { i in salt.withUnsafeBytes { s in sha256(ikm: i, salt: s, info: info, length: length) } }
    }

    /// Raw-buffer form of `sha256(ikm:salt:info:length:)`.
    public static func sha256(ikm: UnsafeRawBufferPointer, salt: UnsafeRawBufferPointer, info: [UInt8], length: Int = 32) -> SecretBytes {
        precondition(length > 0 && length <= 32, "HKDF output limited to one block here")
        let prk = HMACSHA256.authenticate(key: salt, data: ikm)
        let t = prk.withUnsafeBytes { p -> SecretBytes in
            var h = HMACSHA256(key: p)
            h.update(info)
            h.update([0x01])
            return h.finalize()
        }
        if length == 32 { return t }
        return t.withUnsafeBytes { SecretBytes(copying: $0.prefix(length)) }
    }
}

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
