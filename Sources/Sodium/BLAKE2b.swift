import CSodium

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
