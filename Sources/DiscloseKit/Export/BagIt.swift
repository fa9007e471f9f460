import Sodium

/// The BagIt 1.0 (RFC 8493) tag files of a bundle.
enum BagIt {
    /// `bagit.txt`.
    static let declaration = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

    /// `bag-info.txt`: organization, request id as External-Identifier, date, Payload-Oxum.
    static func info(organization: String, externalIdentifier: String, date: Instant, payloadBytes: Int, payloadFiles: Int,
                     bundleID: String, software: String, practice: Bool = false) -> String {
        func clean(_ s: String) -> String { String(s.map { $0 == "\n" || $0 == "\r" ? " " : $0 }) }
        let what = practice ? "\(Practice.marker) bundle \(bundleID), a rehearsal and not a lawful disclosure" : "Lawful disclosure bundle \(bundleID)"
        return """
        Source-Organization: \(clean(organization))
        External-Identifier: \(clean(externalIdentifier))
        External-Description: \(what); see VERIFY.txt and disclosure.json
        Bagging-Date: \(date.description.prefix(10))
        Bag-Software-Agent: \(software)
        Payload-Oxum: \(payloadBytes).\(payloadFiles)
        \(practice ? "Disclose-Practice: \(Practice.marker)\n" : "")
        """
    }

    /// A manifest: `<sha512>  <path>` lines sorted by path (the form `sha512sum -c` reads).
    static func manifest(_ entries: [(path: String, sha512: String)]) -> String {
        entries.sorted { $0.path < $1.path }.map { "\($0.sha512)  \($0.path)\n" }.joined()
    }

    /// Parses a manifest; nil entries for malformed lines.
    static func parseManifest(_ text: String) -> [(path: String, sha512: String)]? {
        var out: [(String, String)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 128, Hex.decode(String(parts[0])) != nil, parts[1].hasPrefix(" ") else { return nil }
            out.append((String(parts[1].dropFirst()), String(parts[0]).lowercased()))
        }
        return out
    }
}
