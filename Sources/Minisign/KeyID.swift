import Sodium

/// The 8 random bytes that name a minisign key pair. They are stored in the public key,
/// the secret key and every signature, and compared as bytes.
public struct KeyID: Hashable, Sendable, CustomStringConvertible {
    /// Number of bytes in a key id.
    public static let length = 8

    /// The stored bytes, in file order.
    public let bytes: [UInt8]

    /// Wraps 8 stored bytes; throws `malformed` for any other length.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == Self.length else {
            throw MinisignError.malformed("key id must be \(Self.length) bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// A fresh random key id.
    static func random() -> KeyID {
        // Length is correct by construction.
        try! KeyID(bytes: Random.bytes(length))
    }

    /// The bytes read as a little-endian `UInt64`.
    public var value: UInt64 {
        bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// minisign 0.11's display form: the little-endian value in uppercase hex,
    /// **not** zero-padded (`%PRIX64`), e.g. `D3E9232D5F4E6AF6`.
    public var description: String {
        String(value, radix: 16, uppercase: true)
    }
}
