/// Reads a request file in either form Disclose accepts: our JSON, or an ETSI TS 103 120
/// HI-1 message (XML, recognized by its first non-space byte `<`). Why one entry point:
/// `plan`, `export` and everything after them load the request through `CaseFiles`, so
/// the whole pipeline accepts both forms, and the plan binds the digest of the exact
/// bytes received, whichever form they are in.
public enum RequestLoader {
    /// Largest request file: HI-1 messages may carry the warrant document.
    public static let maxBytes = StrictXML.Limits().maxBytes

    /// True when `bytes` look like XML (first non-whitespace byte is `<`).
    public static func isXML(_ bytes: [UInt8]) -> Bool {
        var k = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while k < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[k]) { k += 1 }
        return k < bytes.count && bytes[k] == UInt8(ascii: "<")
    }

    /// Parses request bytes; the policy maps HI-1 senders and legal types.
    public static func parse(_ bytes: [UInt8], file: String, policy: Policy) throws -> Request {
        if isXML(bytes) {
            return try HI1Mapping.request(from: InputError.fromHI1 { try HI1Reader.read(bytes, file: file) }, policy: policy, file: file)
        }
        return try Request.parse(DocumentJSON.parse(bytes, file: file), file: file, policy: policy)
    }
}
