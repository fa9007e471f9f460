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
