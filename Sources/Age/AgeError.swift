/// Why an age operation failed.
///
/// The first five cases are the outcome categories of the age conformance vectors
/// (C2SP/CCTV `age/testdata`), so a caller can map any failure onto them 1:1. Every
/// case carries a reason naming *what* failed; reasons never contain key or plaintext
/// bytes, so they are safe to log and show to the person running the tool.
public enum AgeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The header is malformed or must be rejected: wrong version line, bad stanza
    /// syntax, non-canonical base64, a malformed X25519 stanza or low-order share, a
    /// missing MAC line, or a missing/short 16-byte payload nonce.
    case headerFailure(String)
    /// The header parsed, but none of the given identities could unwrap any stanza
    /// (wrong key, or only stanza types this implementation does not know).
    case noMatch(String)
    /// The file key unwrapped, but the header MAC did not verify: the header was altered.
    case hmacFailure(String)
    /// The header verified, but the STREAM payload did not decrypt to a proper end: a
    /// bad chunk tag, truncation, a missing, empty or duplicate final chunk, or data
    /// after the final chunk. Chunks that verified before the failure were released.
    case payloadFailure(String)
    /// The ASCII armor (`-----BEGIN AGE ENCRYPTED FILE-----`) is invalid.
    case armorFailure(String)
    /// The file needs a feature outside this X25519-only implementation
    /// (a passphrase-encrypted file with an `scrypt` stanza).
    case unsupported(String)
    /// A recipient, identity, identity file or recipients file is malformed, or a
    /// recipient cannot be encrypted to (low-order public key).
    case invalidKey(String)
    /// Reading the input, writing the output, or managing a file failed at the
    /// operating-system level.
    case io(String)

    /// The reason alone, without the category.
    public var reason: String {
        switch self {
        case .headerFailure(let r), .noMatch(let r), .hmacFailure(let r), .payloadFailure(let r),
             .armorFailure(let r), .unsupported(let r), .invalidKey(let r), .io(let r):
            return r
        }
    }

    /// "category: reason", e.g. `payload failure: trailing data after the final chunk`.
    public var description: String {
        switch self {
        case .headerFailure(let r): return "header failure: \(r)"
        case .noMatch(let r): return "no match: \(r)"
        case .hmacFailure(let r): return "HMAC failure: \(r)"
        case .payloadFailure(let r): return "payload failure: \(r)"
        case .armorFailure(let r): return "armor failure: \(r)"
        case .unsupported(let r): return "unsupported: \(r)"
        case .invalidKey(let r): return "invalid key: \(r)"
        case .io(let r): return "I/O error: \(r)"
        }
    }
}
