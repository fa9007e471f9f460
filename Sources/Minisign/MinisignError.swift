/// Everything that can go wrong reading, writing, signing or verifying minisign data.
///
/// Messages say what failed and never contain secret bytes. Cryptographic and policy
/// failures (`legacySignature`, `keyIDMismatch`, `invalidSignature`,
/// `invalidTrustedCommentSignature`) match minisign's exit status 1; `malformed` matches
/// its exit status 2 (format errors).
public enum MinisignError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input is not a well-formed minisign file or string: wrong number of lines,
    /// an over-long line, bad or unpadded base64, a wrong blob length, unknown algorithm
    /// bytes, or a corrupted secret key. The reason says which.
    case malformed(String)
    /// The signature is a legacy (`Ed`, non-prehashed) one and legacy signatures were
    /// not allowed. minisign `-V -H` refuses these too.
    case legacySignature
    /// The signature was made by a different key than the public key given.
    case keyIDMismatch(expected: KeyID, found: KeyID)
    /// The Ed25519 signature over the message (or its prehash) does not verify.
    case invalidSignature
    /// The global signature over signature ‖ trusted comment does not verify: the
    /// trusted comment was altered.
    case invalidTrustedCommentSignature
    /// The secret key is passphrase-protected and no passphrase was given.
    case passphraseRequired
    /// The passphrase did not decrypt the secret key (its checksum did not match).
    case wrongPassphrase
    /// The passphrase contains a NUL byte, which minisign (C strings) would silently cut.
    case unsupportedPassphrase
    /// scrypt could not run with the requested or stored limits (usually: not enough memory).
    case keyDerivationFailed
    /// A comment given for writing cannot be stored: it contains CR, LF or NUL, or is
    /// longer than minisign accepts. The reason says which.
    case invalidComment(String)

    /// A one-line message saying what failed; never contains secret bytes.
    public var description: String {
        switch self {
        case .malformed(let reason): return "malformed minisign data: \(reason)"
        case .legacySignature: return "legacy (non-prehashed) signature found; it is not accepted"
        case .keyIDMismatch(let expected, let found):
            return "signature key id is \(found) but the key id in the public key is \(expected)"
        case .invalidSignature: return "signature verification failed"
        case .invalidTrustedCommentSignature: return "trusted comment signature verification failed"
        case .passphraseRequired: return "the secret key is encrypted and needs a passphrase"
        case .wrongPassphrase: return "wrong passphrase for that secret key"
        case .unsupportedPassphrase: return "passphrase contains a NUL byte, which minisign cannot use"
        case .keyDerivationFailed: return "scrypt key derivation failed (not enough memory for the limits?)"
        case .invalidComment(let reason): return "invalid comment: \(reason)"
        }
    }
}
