import Sodium

/// A minisign public key: an 8-byte key id and a 32-byte Ed25519 public key.
///
/// On disk it is a 2-line `.pub` file; its second line (and `minisign -P`'s argument) is
/// padded base64 of `"Ed"` ‖ key id ‖ public key, 56 characters starting with `RW`.
public struct PublicKey: Hashable, Sendable {
    /// Signature algorithm bytes of key blobs (`Ed`).
    static let algorithm: [UInt8] = Array("Ed".utf8)
    /// Decoded length of the key line: 2 + 8 + 32.
    static let blobLength = 2 + KeyID.length + Ed25519.publicKeyLength
    /// Length cap of the key line including CR/LF (minisign's buffer).
    static let maxKeyLine = Framing.base64Length(blobLength) + 2

    /// The key id shared with the secret key and its signatures.
    public let keyID: KeyID
    /// The 32-byte Ed25519 public key.
    public let rawRepresentation: [UInt8]

    /// Assembles a key from its parts; throws `malformed` if the key is not 32 bytes.
    public init(keyID: KeyID, rawRepresentation: [UInt8]) throws {
        guard rawRepresentation.count == Ed25519.publicKeyLength else {
            throw MinisignError.malformed("Ed25519 public key must be 32 bytes, got \(rawRepresentation.count)")
        }
        self.keyID = keyID
        self.rawRepresentation = rawRepresentation
    }

    /// Parses the base64 key string (`RW…`, 56 characters), exactly as given to
    /// `minisign -P`: no surrounding whitespace, padded base64, `Ed` algorithm.
    public init(base64: String) throws {
        try self.init(keyLine: Array(base64.utf8)[...])
    }

    /// Parses `.pub` file contents. Line 1 (the untrusted comment) is ignored, as
    /// minisign does, but must fit in 1023 bytes; line 2 is the base64 key. CRLF is
    /// accepted, the final newline is optional, and nothing may follow line 2.
    public init<Bytes: Collection>(fileContents: Bytes) throws where Bytes.Element == UInt8 {
        guard fileContents.count <= Framing.maxUntrustedLine + Self.maxKeyLine else {
            throw MinisignError.malformed("public key file is larger than any valid one")
        }
        var reader = LineReader(Array(fileContents))
        _ = try reader.next(maxLength: Framing.maxUntrustedLine, isLast: false, what: "public key comment line")
        let line = try reader.next(maxLength: Self.maxKeyLine, isLast: true, what: "public key line")
        try reader.expectEnd(after: "the public key line")
        try self.init(keyLine: line)
    }

    /// Parses `.pub` file contents given as text; see `init(fileContents:)` for bytes.
    public init(fileContents: String) throws {
        try self.init(fileContents: Array(fileContents.utf8))
    }

    private init(keyLine: ArraySlice<UInt8>) throws {
        let blob = try Framing.decode(keyLine, length: Self.blobLength, what: "public key")
        guard Array(blob[0..<2]) == Self.algorithm else {
            throw MinisignError.malformed("unsupported public key algorithm (expected \"Ed\")")
        }
        try self.init(keyID: KeyID(bytes: Array(blob[2..<10])), rawRepresentation: Array(blob[10...]))
    }

    /// The base64 key string (`RW…`), as printed by `minisign -G` and taken by `-P`.
    public var base64: String {
        Base64.padded.encode(Self.algorithm + keyID.bytes + rawRepresentation)
    }

    /// The key id as minisign 0.11 displays it (uppercase hex, not zero-padded).
    public var keyIDString: String { keyID.description }

    /// The comment `minisign -G` writes: `minisign public key <KEYID>`.
    public var defaultComment: String { "minisign public key \(keyIDString)" }

    /// `.pub` file contents: `untrusted comment: <comment>` and the base64 key, each
    /// followed by LF. `comment` defaults to `defaultComment`; it must be one line of at
    /// most 1003 bytes without NUL.
    public func fileContents(comment: String? = nil) throws -> String {
        let text = try Framing.validateComment(comment ?? defaultComment,
                                               limit: Framing.maxUntrustedComment, what: "public key comment")
        return "untrusted comment: " + String(decoding: text, as: UTF8.self) + "\n" + base64 + "\n"
    }
}
