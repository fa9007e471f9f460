import Foundation
import Primitives
import Sodium

/// An identity file in `age-keygen`'s format:
///
/// ```
/// # created: 2026-11-29T13:07:18Z
/// # public key: age1…
/// AGE-SECRET-KEY-1…
/// ```
///
/// Reading follows age 1.1.1: empty lines and lines starting with `#` are skipped, every
/// other line must be an identity, and CRLF line endings are accepted. Writing produces
/// the same three lines per identity, which `age -d -i` reads.
public struct IdentityFile: Sendable {
    /// The identities, in file order.
    public let identities: [Identity]

    /// A file holding `identities` (for writing).
    public init(identities: [Identity]) {
        self.identities = identities
    }

    /// Parses the text of an identity file. Errors name the line number only, never
    /// the line itself (it may hold a secret key).
    public init(parsing text: String) throws(AgeError) {
        var found: [Identity] = []
        // Split on LF bytes (a Swift Character would treat CRLF as one unit) and drop one CR.
        for (index, rawLine) in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            var bytes = rawLine
            if bytes.last == 0x0D { bytes = bytes.dropLast() }
            let line = String(decoding: bytes, as: UTF8.self)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do { found.append(try Identity(parsing: line)) } catch {
                throw .invalidKey("identity file line \(index + 1): \(error.reason)")
            }
        }
        guard !found.isEmpty else { throw .invalidKey("identity file holds no secret keys") }
        identities = found
    }

    /// Reads and parses the identity file at `url`.
    public init(contentsOf url: URL) throws(AgeError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .io("cannot read identity file \(url.path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .invalidKey("identity file \(url.path) is not UTF-8 text")
        }
        try self.init(parsing: text)
    }

    /// The file text: for each identity a `# created:` line (UTC, RFC 3339), a
    /// `# public key:` line and the secret key line. This is the only place the secret
    /// key string is produced; write it straight to a 0600 file.
    public func serialized(created: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        let stamp = formatter.string(from: created)
        var out = ""
        for identity in identities {
            out += "# created: \(stamp)\n# public key: \(identity.recipient)\n\(identity.secretKeyString())\n"
        }
        return out
    }

    /// Writes the file to `url` with mode 0600, refusing to overwrite an existing file
    /// (a key file is never silently replaced). Atomic (`AtomicWriter`): a failed write
    /// leaves no partial key file.
    public func write(to url: URL, created: Date = Date()) throws(AgeError) {
        var bytes = Array(serialized(created: created).utf8)
        defer { Memory.wipe(&bytes) }
        do {
            let writer = try AtomicWriter(directory: url.deletingLastPathComponent().path, name: url.lastPathComponent, path: url.path)
            try writer.write(bytes)
            try writer.commit(overwrite: false)
        } catch {
            throw .io("identity file \(error)")
        }
    }
}
