import CSodium

/// ChaCha20-Poly1305 AEAD, IETF variant (RFC 8439): 32-byte key, 12-byte nonce,
/// 16-byte tag, no associated data — the only form age uses.
public enum ChaCha20Poly1305 {
    /// Key length in bytes.
    public static let keyLength = 32
    /// Nonce length in bytes.
    public static let nonceLength = 12
    /// Tag length in bytes.
    public static let tagLength = 16

    /// Encrypts `plaintext` into `output` (which must hold `plaintext.count + 16` bytes).
    /// Raw-pointer form for the streaming hot path: no allocation per call.
    public static func seal(key: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer,
                            plaintext: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) {
        Library.ensureInitialized()
        precondition(key.count == keyLength && nonce.count == nonceLength)
        precondition(output.count >= plaintext.count + tagLength)
        var clen: UInt64 = 0
        let m = plaintext.count > 0 ? plaintext.baseAddress!.assumingMemoryBound(to: UInt8.self) : nil
        _ = crypto_aead_chacha20poly1305_ietf_encrypt(
            output.baseAddress!.assumingMemoryBound(to: UInt8.self), &clen,
            m, UInt64(plaintext.count), nil, 0, nil,
            nonce.baseAddress!.assumingMemoryBound(to: UInt8.self),
            key.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// Decrypts and authenticates `ciphertext` into `output` (which must hold
    /// `ciphertext.count - 16` bytes). Nothing usable is left in `output` on failure.
    public static func open(key: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer,
                            ciphertext: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) throws {
        Library.ensureInitialized()
        precondition(key.count == keyLength && nonce.count == nonceLength)
        guard ciphertext.count >= tagLength else { throw CryptoError.authenticationFailed }
        precondition(output.count >= ciphertext.count - tagLength)
        var mlen: UInt64 = 0
        // libsodium requires a non-null output pointer even for empty plaintext.
        var scratch: UInt8 = 0
        let out = output.count > 0 ? output.baseAddress!.assumingMemoryBound(to: UInt8.self) : withUnsafeMutablePointer(to: &scratch) { $0 }
        let rc = crypto_aead_chacha20poly1305_ietf_decrypt(
            out, &mlen, nil,
            ciphertext.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(ciphertext.count),
            nil, 0,
            nonce.baseAddress!.assumingMemoryBound(to: UInt8.self),
            key.baseAddress!.assumingMemoryBound(to: UInt8.self))
        if rc != 0 {
            if output.count > 0 { sodium_memzero(output.baseAddress!, ciphertext.count - tagLength) }
            throw CryptoError.authenticationFailed
        }
    }

    /// Convenience: seals `plaintext` and returns ciphertext‖tag.
    public static func seal(key: SecretBytes, nonce: [UInt8], plaintext: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: plaintext.count + tagLength)
        key.withUnsafeBytes { k in
            nonce.withUnsafeBytes { n in
                plaintext.withUnsafeBytes { p in
                    out.withUnsafeMutableBytes { o in seal(key: k, nonce: n, plaintext: p, output: o) }
                }
            }
        }
        return out
    }

    /// Convenience: opens ciphertext‖tag into guarded memory (for wrapped keys).
    public static func open(key: SecretBytes, nonce: [UInt8], ciphertext: [UInt8]) throws -> SecretBytes {
        guard ciphertext.count >= tagLength else { throw CryptoError.authenticationFailed }
        let out = SecretBytes(count: ciphertext.count - tagLength)
        try key.withUnsafeBytes { k in
            try nonce.withUnsafeBytes { n in
                try ciphertext.withUnsafeBytes { c in
                    try out.withUnsafeMutableBytes { o in try open(key: k, nonce: n, ciphertext: c, output: o) }
                }
            }
        }
        return out
    }
}
