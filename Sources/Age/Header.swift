import Sodium

/// The age v1 text header: version line, stanzas, and the MAC line.
///
/// Parsing is strict (age spec and the rejection checklist in formats.md §1.8): the only
/// accepted input is the canonical serialisation, so the MAC is computed over the raw
/// bytes as read, exactly what age computes over its re-serialised header.
struct Header {
    static let versionLine = Array("age-encryption.org/v1".utf8)
    /// Headers are tiny in practice (168 bytes for one recipient); anything this large
    /// is rejected rather than buffered without bound.
    static let maxSize = 1 << 20
    static let macInfo = Array("header".utf8)
    static let columns = 64

    /// The recipient stanzas, in order.
    var stanzas: [Stanza]
    /// The 32-byte MAC from the `---` line.
    var mac: [UInt8]
    /// The header bytes the MAC covers: from the first byte through `---`.
    var macInput: [UInt8]

    /// Reads and parses a header from `source`, leaving the source at the first payload byte.
    /// Throws `AgeError.headerFailure`, or passes through an error of the input source.
    static func parse(from source: BufferedSource, ledger: BufferLedger) throws -> Header {
        var raw: [UInt8] = []
        defer { ledger.note(-raw.count) }
        func nextLine() throws -> [UInt8] {
            guard let line = try source.readLine() else {
                throw AgeError.headerFailure(raw.isEmpty ? "empty file" : "unexpected end of file inside the header")
            }
            guard !line.overlong else { throw AgeError.headerFailure("header line too long") }
            guard line.terminated else { throw AgeError.headerFailure("unexpected end of file inside the header (line without LF)") }
            let bytes = Array(line.bytes)
            raw += bytes
            raw.append(0x0A)
            ledger.note(bytes.count + 1)
            guard raw.count <= maxSize else { throw AgeError.headerFailure("header larger than \(maxSize) bytes") }
            return bytes
        }

        let version = try nextLine()
        guard version == versionLine else {
            if version.last == 0x0D && Array(version.dropLast()) == versionLine {
                throw AgeError.headerFailure("version line ends in CRLF")
            }
            throw AgeError.headerFailure("unsupported or malformed version line")
        }

        var stanzas: [Stanza] = []
        var line = try nextLine()
        while true {
            if line.starts(with: [0x2D, 0x2D, 0x2D]) { // "---"
                guard !stanzas.isEmpty else { throw AgeError.headerFailure("header has no recipient stanzas") }
                guard line.count == 47, line[3] == 0x20 else {
                    throw AgeError.headerFailure("malformed MAC line (expected \"--- \" and 43 base64 characters)")
                }
                guard let mac = Base64.unpadded.decode(line[4...]), mac.count == 32 else {
                    throw AgeError.headerFailure("MAC is not canonical base64 of 32 bytes")
                }
                let macInput = Array(raw[..<(raw.count - line.count - 1 + 3)])
                return Header(stanzas: stanzas, mac: mac, macInput: macInput)
            }
            let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[0].elementsEqual([0x2D, 0x3E]) else { // "->"
                throw AgeError.headerFailure("malformed stanza line (expected \"-> \" and arguments)")
            }
            for arg in parts.dropFirst() {
                guard !arg.isEmpty else { throw AgeError.headerFailure("stanza has an empty argument") }
                guard arg.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
                    throw AgeError.headerFailure("stanza argument has a byte outside 0x21-0x7E")
                }
            }
            var body: [UInt8] = []
            while true {
                let bodyLine = try nextLine()
                guard bodyLine.count <= columns else { throw AgeError.headerFailure("stanza body line longer than 64 columns") }
                guard let decoded = Base64.unpadded.decode(bodyLine) else {
                    throw AgeError.headerFailure("stanza body is not canonical unpadded base64")
                }
                body += decoded
                if bodyLine.count < columns { break }
            }
            let args = parts.dropFirst().map { String(decoding: $0, as: UTF8.self) }
            stanzas.append(Stanza(type: args[0], arguments: Array(args.dropFirst()), body: body))
            line = try nextLine()
        }
    }

    /// The HMAC key: HKDF-SHA-256(ikm = file key, salt = empty, info = "header").
    static func macKey(fileKey: SecretBytes) -> SecretBytes {
        HKDF.sha256(ikm: fileKey, salt: [], info: macInfo)
    }

    /// HMAC-SHA-256 of `macInput` under the key derived from `fileKey`.
    static func computeMAC(fileKey: SecretBytes, macInput: [UInt8]) -> SecretBytes {
        let key = macKey(fileKey: fileKey)
        return key.withUnsafeBytes { k in macInput.withUnsafeBytes { HMACSHA256.authenticate(key: k, data: $0) } }
    }

    /// True when the header's MAC verifies under `fileKey` (constant-time comparison).
    func verifyMAC(fileKey: SecretBytes) -> Bool {
        let expected = Self.computeMAC(fileKey: fileKey, macInput: macInput)
        return expected.withUnsafeBytes { e in Memory.constantTimeEquals(Array(e), mac) }
    }

    /// Serialises a complete header (through the MAC line's LF) for `stanzas`.
    static func encode(stanzas: [Stanza], fileKey: SecretBytes) -> [UInt8] {
        var out = versionLine
        out.append(0x0A)
        for stanza in stanzas {
            out += Array("-> \(([stanza.type] + stanza.arguments).joined(separator: " "))\n".utf8)
            let text = Array(Base64.unpadded.encode(stanza.body).utf8)
            var i = 0
            while i + columns <= text.count {
                out += text[i..<(i + columns)]
                out.append(0x0A)
                i += columns
            }
            out += text[i...] // the final short line, possibly empty
            out.append(0x0A)
        }
        out += [0x2D, 0x2D, 0x2D]
        let mac = computeMAC(fileKey: fileKey, macInput: out)
        out += Array(" \(Base64.unpadded.encode(mac.copyBytes()))\n".utf8)
        return out
    }
}
