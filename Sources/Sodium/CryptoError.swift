/// Failures of the primitives in this module. Messages never contain secret material.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An AEAD tag did not verify: the data was altered or the key is wrong.
    case authenticationFailed
    /// An X25519 computation produced the all-zero point (low-order input).
    case lowOrderPoint
    /// A key, nonce or other input had the wrong length.
    case invalidLength(expected: Int, actual: Int)
    /// Input was not canonical base64 of the expected variant.
    case invalidBase64
    /// A signature did not verify.
    case invalidSignature
    /// scrypt could not run (for example, not enough memory for the stored limits).
    case keyDerivationFailed

    public var description: String {
        switch self {
        case .authenticationFailed: return "authentication failed"
        case .lowOrderPoint: return "X25519 produced an all-zero shared secret (low-order point)"
        case .invalidLength(let e, let a): return "invalid length: expected \(e) bytes, got \(a)"
        case .invalidBase64: return "invalid base64"
        case .invalidSignature: return "signature verification failed"
        case .keyDerivationFailed: return "key derivation (scrypt) failed"
        }
    }
}
