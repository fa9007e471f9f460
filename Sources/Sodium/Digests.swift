import CSodium

/// A hash fed in pieces and finished once: what a pipelined digest needs to know of
/// BLAKE2b-512 (scoped plaintext) and SHA-512 (BagIt manifests of the ciphertext), so
/// one pipelining type serves both.
public protocol StreamingDigest {
    /// Adds bytes.
    mutating func update(_ data: UnsafeRawBufferPointer)
    /// Finishes and returns the digest; the value must not be updated afterwards.
    mutating func finalize() -> [UInt8]
}

/// Streaming BLAKE2b (unkeyed) with 1…64-byte output; minisign's prehash is BLAKE2b-512.
///
/// A class because libsodium's state is not importable into Swift (it is 64-byte aligned
/// inside a packed struct), so it lives in a manually aligned allocation.
public final class BLAKE2b: StreamingDigest, @unchecked Sendable {
    private let state: UnsafeMutableRawPointer
    private let length: Int

    /// Starts a hash with `outputLength` bytes of output (64 for BLAKE2b-512).
    public init(outputLength: Int = 64) {
        Library.ensureInitialized()
        precondition(outputLength >= 1 && outputLength <= 64)
        length = outputLength
        state = UnsafeMutableRawPointer.allocate(byteCount: crypto_generichash_statebytes(), alignment: 64)
        _ = crypto_generichash_init(OpaquePointer(state), nil, 0, outputLength)
    }

    deinit { state.deallocate() }

    /// Adds bytes.
    public func update(_ data: UnsafeRawBufferPointer) {
        guard data.count > 0 else { return }
        _ = crypto_generichash_update(OpaquePointer(state), data.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(data.count))
    }

    /// Adds bytes.
    public func update(_ data: [UInt8]) { data.withUnsafeBytes { update($0) } }

    /// Finishes and returns the digest; the object must not be used afterwards.
    public func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        out.withUnsafeMutableBytes { _ = crypto_generichash_final(OpaquePointer(state), $0.bindMemory(to: UInt8.self).baseAddress!, length) }
        return out
    }

    /// One-shot digest of `data`.
    public static func hash(_ data: [UInt8], outputLength: Int = 64) -> [UInt8] {
        let h = BLAKE2b(outputLength: outputLength)
        h.update(data)
        return h.finalize()
    }
}

/// Streaming SHA-512 (the BagIt manifest digest).
public struct SHA512: StreamingDigest, Sendable {
    /// Digest length.
    public static let digestLength = 64
    private var state = crypto_hash_sha512_state()

    /// Starts a digest.
    public init() {
        Library.ensureInitialized()
        _ = crypto_hash_sha512_init(&state)
    }

    /// Adds bytes.
    public mutating func update(_ data: UnsafeRawBufferPointer) {
        guard data.count > 0 else { return }
        _ = crypto_hash_sha512_update(&state, data.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(data.count))
    }

    /// Adds bytes.
    public mutating func update(_ data: [UInt8]) { data.withUnsafeBytes { update($0) } }

    /// Finishes and returns the digest.
    public mutating func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.digestLength)
        out.withUnsafeMutableBytes { _ = crypto_hash_sha512_final(&state, $0.bindMemory(to: UInt8.self).baseAddress!) }
        return out
    }

    /// One-shot digest.
    public static func hash(_ data: [UInt8]) -> [UInt8] {
        var h = SHA512(); h.update(data); return h.finalize()
    }
}

/// Streaming SHA-256 (age test vectors report plaintext SHA-256).
public struct SHA256: Sendable {
    /// Digest length.
    public static let digestLength = 32
    private var state = crypto_hash_sha256_state()

    /// Starts a digest.
    public init() {
        Library.ensureInitialized()
        _ = crypto_hash_sha256_init(&state)
    }

    /// Adds bytes.
    public mutating func update(_ data: UnsafeRawBufferPointer) {
        guard data.count > 0 else { return }
        _ = crypto_hash_sha256_update(&state, data.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(data.count))
    }

    /// Adds bytes.
    public mutating func update(_ data: [UInt8]) { data.withUnsafeBytes { update($0) } }

    /// Finishes and returns the digest.
    public mutating func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.digestLength)
        out.withUnsafeMutableBytes { _ = crypto_hash_sha256_final(&state, $0.bindMemory(to: UInt8.self).baseAddress!) }
        return out
    }

    /// One-shot digest.
    public static func hash(_ data: [UInt8]) -> [UInt8] {
        var h = SHA256(); h.update(data); return h.finalize()
    }
}

/// Lowercase hexadecimal, for digests in manifests and reports.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lowercase hex of `bytes`.
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out = [UInt8](); out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes lowercase or uppercase hex; nil when malformed.
    public static func decode(_ text: String) -> [UInt8]? {
        let u = Array(text.utf8)
        guard u.count % 2 == 0 else { return nil }
        func v(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: return nil
            }
        }
        var out = [UInt8](); out.reserveCapacity(u.count / 2)
        var i = 0
        while i < u.count {
            guard let h = v(u[i]), let l = v(u[i + 1]) else { return nil }
            out.append(h << 4 | l); i += 2
        }
        return out
    }
}
