import Sodium

/// The line caps minisign 0.11 enforces when reading (its `fgets` buffer sizes) and
/// the fixed prefixes of its files.
enum Framing {
    /// `untrusted comment: `, the prefix of line 1 of every minisign file.
    static let untrustedPrefix = Array("untrusted comment: ".utf8)
    /// `trusted comment: `, the prefix of line 3 of a signature file.
    static let trustedPrefix = Array("trusted comment: ".utf8)

    /// An untrusted-comment line, prefix and line ending included (COMMENTMAXBYTES − 1).
    static let maxUntrustedLine = 1023
    /// A trusted-comment line, prefix and line ending included (TRUSTEDCOMMENTMAXBYTES − 1).
    static let maxTrustedLine = 8191
    /// Longest untrusted comment text that still fits its line with a final LF.
    static let maxUntrustedComment = maxUntrustedLine - untrustedPrefix.count - 1 // 1003
    /// Longest trusted comment text minisign writes and reads back (with LF).
    static let maxTrustedComment = maxTrustedLine - trustedPrefix.count - 1 // 8173

    /// Padded base64 length of `n` bytes.
    static func base64Length(_ n: Int) -> Int { (n + 2) / 3 * 4 }

    /// Checks a comment a caller wants written: no CR, LF or NUL (minisign stores one
    /// C-string line), at most `limit` UTF-8 bytes.
    static func validateComment(_ comment: String, limit: Int, what: String) throws -> [UInt8] {
        let bytes = Array(comment.utf8)
        if bytes.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            throw MinisignError.invalidComment("\(what) contains a line break (CR or LF)")
        }
        if bytes.contains(0) {
            throw MinisignError.invalidComment("\(what) contains a NUL byte")
        }
        if bytes.count > limit {
            throw MinisignError.invalidComment("\(what) is \(bytes.count) bytes; at most \(limit) are allowed")
        }
        return bytes
    }

    /// UTF-8 text of comment bytes read from a file; malformed if not valid UTF-8.
    static func text(_ bytes: [UInt8], what: String) throws -> String {
        let s = String(decoding: bytes, as: UTF8.self)
        guard s.utf8.elementsEqual(bytes) else {
            throw MinisignError.malformed("\(what) is not valid UTF-8")
        }
        return s
    }

    /// Decodes padded base64 of exactly `length` bytes.
    static func decode(_ line: ArraySlice<UInt8>, length: Int, what: String) throws -> [UInt8] {
        guard line.count == base64Length(length) else {
            throw MinisignError.malformed("\(what) must be \(base64Length(length)) base64 characters, got \(line.count)")
        }
        guard let bytes = Base64.padded.decode(line), bytes.count == length else {
            throw MinisignError.malformed("\(what) is not valid padded base64")
        }
        return bytes
    }
}

/// Splits minisign file contents into lines the way minisign reads them, but strictly:
/// each line ends in LF (CRLF accepted), the last expected line may lack it, a line
/// longer than its cap is an error, stray CR or NUL bytes are errors, and nothing may
/// follow the last expected line.
struct LineReader {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// True when every byte was consumed.
    var isAtEnd: Bool { position == bytes.count }

    /// Reads one line. `maxLength` caps the raw line including CR/LF, like minisign's
    /// `fgets` buffer. `isLast` lets the line end at end of input without an LF.
    mutating func next(maxLength: Int, isLast: Bool, what: String) throws -> ArraySlice<UInt8> {
        guard position < bytes.count else { throw MinisignError.malformed("\(what) is missing") }
        let window = bytes[position..<min(bytes.count, position + maxLength)]
        var line: ArraySlice<UInt8>
        if let lf = window.firstIndex(of: 0x0A) {
            line = bytes[position..<lf]
            position = lf + 1
        } else if bytes.count - position > maxLength {
            throw MinisignError.malformed("\(what) is longer than \(maxLength) bytes")
        } else if !isLast {
            throw MinisignError.malformed("\(what) does not end with a newline")
        } else {
            line = bytes[position...]
            position = bytes.count
        }
        if line.last == 0x0D { line = line.dropLast() }
        if line.contains(0x0D) { throw MinisignError.malformed("\(what) contains a stray carriage return") }
        if line.contains(0) { throw MinisignError.malformed("\(what) contains a NUL byte") }
        return line
    }

    /// Throws unless every byte was consumed.
    func expectEnd(after what: String) throws {
        guard isAtEnd else { throw MinisignError.malformed("unexpected data after \(what)") }
    }
}
