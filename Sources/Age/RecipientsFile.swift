import Foundation

/// A recipients file as `age -R` reads it: one `age1…` per line, with empty lines and
/// `#` comment lines skipped and CRLF accepted.
public struct RecipientsFile: Sendable {
    /// The recipients, in file order.
    public let recipients: [Recipient]

    /// A file holding `recipients` (for writing).
    public init(recipients: [Recipient]) {
        self.recipients = recipients
    }

    /// Parses the text of a recipients file; an error names the offending line number.
    public init(parsing text: String) throws(AgeError) {
        var found: [Recipient] = []
        // Split on LF bytes (a Swift Character would treat CRLF as one unit) and drop one CR.
        for (index, rawLine) in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            var bytes = rawLine
            if bytes.last == 0x0D { bytes = bytes.dropLast() }
            let line = String(decoding: bytes, as: UTF8.self)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do { found.append(try Recipient(parsing: line)) } catch {
                throw .invalidKey("recipients file line \(index + 1): \(error.reason)")
            }
        }
        guard !found.isEmpty else { throw .invalidKey("recipients file holds no recipients") }
        recipients = found
    }

    /// Reads and parses the recipients file at `url`.
    public init(contentsOf url: URL) throws(AgeError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .io("cannot read recipients file \(url.path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .invalidKey("recipients file \(url.path) is not UTF-8 text")
        }
        try self.init(parsing: text)
    }

    /// The file text: one recipient per line.
    public var serialized: String {
        recipients.map { "\($0)\n" }.joined()
    }
}
