import CSodium

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
