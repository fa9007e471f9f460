import Sodium

/// One header stanza: `-> type arg…` followed by its base64-wrapped body.
struct Stanza: Sendable, Equatable {
    /// The first argument, e.g. `X25519`.
    var type: String
    /// The arguments after the type.
    var arguments: [String]
    /// The decoded body.
    var body: [UInt8]
}

/// Constants and checks of the `X25519` recipient stanza (age spec, "X25519 recipient type").
enum X25519Stanza {
    static let type = "X25519"
    static let info = Array("age-encryption.org/v1/X25519".utf8)
    static let zeroNonce = [UInt8](repeating: 0, count: ChaCha20Poly1305.nonceLength)
    static let fileKeyLength = 16
    static let bodyLength = fileKeyLength + ChaCha20Poly1305.tagLength

    /// Rejects malformed `X25519` stanzas before any decryption: exactly one argument,
    /// a canonical 32-byte share, and a 32-byte body. Other stanza types are ignored
    /// (an `scrypt` stanza is refused by the decryptor first).
    static func validate(_ stanzas: [Stanza]) throws(AgeError) {
        for s in stanzas where s.type == type {
            guard s.arguments.count == 1 else {
                throw .headerFailure("X25519 stanza has \(s.arguments.count) arguments, expected 1")
            }
            guard let share = Base64.unpadded.decode(s.arguments[0]) else {
                throw .headerFailure("X25519 stanza share is not canonical base64")
            }
            guard share.count == X25519.keyLength else {
                throw .headerFailure("X25519 stanza share is \(share.count) bytes, expected 32")
            }
            guard s.body.count == bodyLength else {
                throw .headerFailure("X25519 stanza body is \(s.body.count) bytes, expected 32")
            }
        }
    }
}
