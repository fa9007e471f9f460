import CSodium

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
