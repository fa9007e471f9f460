import Sodium

/// The custodian's certificate (`certificate.txt`, a tag file of every bundle): the
/// provider's records custodian certifies, in the words of Federal Rules of Evidence
/// 902(11), 902(13) and 902(14) unless the policy gives others, that the records were made
/// and kept in the course of regularly conducted activity, and identifies each payload
/// file by its SHA-512 and the BLAKE2b-512 of its plaintext. It names files and digests
/// only — no subject identifier, no record value. The tag manifest lists it, so the
/// provider's signature covers it; `verify` checks its digests against the bag.
public enum CustodianCertificate {
    /// The tag file's name.
    public static let fileName = "certificate.txt"

    /// Who certifies and in which words (policy member `custodian`).
    public struct Custodian: Sendable, Equatable {
        /// The custodian's name (default: "the undersigned custodian of records").
        public var name: String?
        /// Their title (default: "Custodian of Records").
        public var title: String?
        /// The certificate's heading, for other jurisdictions.
        public var heading: String?
        /// The certifying text, for other jurisdictions; `{provider}`, `{custodian}` and
        /// `{title}` are replaced.
        public var wording: String?
        /// Heading and wording by the instrument's jurisdiction (`EU`, `US`, …), before
        /// `heading` / `wording` and the FRE default.
        public var jurisdictions: [String: (heading: String?, wording: String?)] = [:]

        /// Equal when every member is.
        public static func == (a: Custodian, b: Custodian) -> Bool {
            a.name == b.name && a.title == b.title && a.heading == b.heading && a.wording == b.wording
                && a.jurisdictions.keys.sorted() == b.jurisdictions.keys.sorted()
                && a.jurisdictions.allSatisfy { k, v in b.jurisdictions[k].map { $0.heading == v.heading && $0.wording == v.wording } ?? false }
        }

        /// Reads policy member `custodian`: `name`, `title`, `heading`, `wording`, and
        /// `jurisdictions` {CODE: {`heading`, `wording`}}.
        static func parse(_ top: inout DocumentFields) throws -> Custodian? {
            guard var f = try top.optionalObject("custodian") else { return nil }
            var c = Custodian(name: try f.optionalString("name"), title: try f.optionalString("title"),
                              heading: try f.optionalString("heading"), wording: try f.optionalString("wording"))
            if f.raw("jurisdictions") != nil {
                for (code, var j) in try f.map("jurisdictions") {
                    c.jurisdictions[code] = (try j.optionalString("heading"), try j.optionalString("wording"))
                    try j.finish()
                }
            }
            try f.finish()
            return c
        }
    }

    /// One certified file.
    public struct Entry: Sendable, Equatable {
        /// Path inside the bag (`data/NAME.age`).
        public var file: String
        /// Hex SHA-512 of the file as delivered.
        public var sha512: String
        /// Hex BLAKE2b-512 of its decrypted content.
        public var plaintextBLAKE2b512: String
    }

    static let defaultHeading = """
        CERTIFICATE OF AUTHENTICITY OF DOMESTIC RECORDS OF A REGULARLY CONDUCTED ACTIVITY
        (Federal Rules of Evidence 902(11), 902(13) and 902(14))
        """

    static let defaultWording = """
        I, {custodian}, {title} of {provider},
        attest under penalty of perjury under the laws of the United States of America
        (28 U.S.C. § 1746) that the information in this certificate is true and correct.
        I am qualified to authenticate the records listed below because I am familiar with
        how they were created, managed, stored and retrieved.

        The records listed below are true duplicates of original records in the custody of
        {provider}. They were made at or near the time of the occurrence of the matters they
        set forth, by, or from information transmitted by, a person with knowledge of those
        matters; they were kept in the course of the regularly conducted activity of
        {provider}; and making such records was a regular practice of that activity
        (Federal Rules of Evidence 803(6)(A)-(C) and 902(11)).

        The records were produced by an electronic process or system that produces an
        accurate result: they were copied from electronic storage in the custody of
        {provider} in a manner that ensures they are true duplicates of the originals, and
        that process is regularly verified by {provider} (Federal Rule of Evidence 902(13)).

        Each file below is identified by its hash values (Federal Rule of Evidence 902(14)):
        the SHA-512 of the file as delivered, and the BLAKE2b-512 of its decrypted content.
        A copy whose hash values equal these is a true copy of the data certified here.
        """

    /// The certificate text. `practice` marks a rehearsal bundle: then the text says that
    /// it certifies nothing.
    static func text(custodian: Custodian?, jurisdiction: String? = nil, provider: String, bundleID: String, requestID: String,
                     date: Instant, entries: [Entry], practice: Bool) -> String {
        func clean(_ s: String) -> String { String(s.map { $0 == "\n" || $0 == "\r" ? " " : $0 }) }
        let c = custodian
        let local = jurisdiction.flatMap { c?.jurisdictions[$0] }
        let wording = (local?.wording ?? c?.wording ?? defaultWording)
            .replacingOccurrences(of: "{custodian}", with: clean(c?.name ?? "the undersigned custodian of records"))
            .replacingOccurrences(of: "{title}", with: clean(c?.title ?? "Custodian of Records"))
            .replacingOccurrences(of: "{provider}", with: clean(provider))
        var out = ""
        if practice { out += "\(Practice.marker): THIS IS A PRACTICE BUNDLE. THIS CERTIFICATE CERTIFIES NOTHING.\n\n" }
        out += (local?.heading ?? c?.heading ?? defaultHeading) + "\n\n"
        out += "Provider: \(clean(provider))\nBundle: \(bundleID)\nRequest: \(clean(requestID))\nDate: \(date.description)\n\n"
        out += wording + "\n\nRecords certified (every payload file of this bag):\n"
        for e in entries.sorted(by: { $0.file < $1.file }) {
            out += "\nFile: \(e.file)\nSHA-512: \(e.sha512)\nPlaintext-BLAKE2b-512: \(e.plaintextBLAKE2b512)\n"
        }
        out += "\nSigned for \(clean(provider)) by the provider's signature (tagmanifest-sha512.txt.minisig),\n"
        out += "which covers this certificate through tagmanifest-sha512.txt.\n"
        return out
    }

    /// The certified entries of a certificate's bytes; nil when a `File:` block is malformed.
    static func entries(_ bytes: [UInt8]) -> [Entry]? {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [Entry] = []
        var i = 0
        while i < lines.count {
            defer { i += 1 }
            guard lines[i].hasPrefix("File: ") else { continue }
            guard i + 2 < lines.count, lines[i + 1].hasPrefix("SHA-512: "), lines[i + 2].hasPrefix("Plaintext-BLAKE2b-512: ") else { return nil }
            let sha = String(lines[i + 1].dropFirst(9)), blake = String(lines[i + 2].dropFirst(23))
            guard sha.utf8.count == 128, Hex.decode(sha) != nil, blake.utf8.count == 128, Hex.decode(blake) != nil else { return nil }
            out.append(Entry(file: String(lines[i].dropFirst(6)), sha512: sha.lowercased(), plaintextBLAKE2b512: blake.lowercased()))
            i += 2
        }
        return out
    }

    /// Checks the certificate `bytes` — the very bytes hashed here against the tag
    /// manifest's entry — against the payload manifest: it must be listed in the tag
    /// manifest with this digest, and certify exactly the manifest's files with the
    /// manifest's SHA-512. Returns the certified entries when it holds.
    @discardableResult
    static func check(_ bytes: [UInt8], tagManifest: [(path: String, sha512: String)], manifest: [(path: String, sha512: String)],
                      _ r: inout VerificationReport) -> [Entry]? {
        guard let listed = tagManifest.first(where: { $0.path == fileName }) else {
            r.add(fileName, false, "not listed in tagmanifest-sha512.txt, so not covered by the signature"); return nil
        }
        guard Hex.encode(SHA512.hash(bytes)) == listed.sha512 else {
            r.add(fileName, false, "SHA-512 differs from tagmanifest-sha512.txt: the certificate was altered"); return nil
        }
        guard let entries = entries(bytes), !entries.isEmpty else {
            r.add(fileName, false, "no readable File / SHA-512 / Plaintext-BLAKE2b-512 blocks"); return nil
        }
        var problems: [String] = []
        let certified = Dictionary(entries.map { ($0.file, $0.sha512) }, uniquingKeysWith: { a, _ in a })
        if certified.count != entries.count { problems.append("a file is certified twice") }
        for m in manifest {
            guard let sha = certified[m.path] else { problems.append("\(m.path) is not certified"); continue }
            if sha != m.sha512 { problems.append("\(m.path): certified SHA-512 differs from manifest-sha512.txt") }
        }
        let inManifest = Set(manifest.map(\.path))
        for e in entries where !inManifest.contains(e.file) { problems.append("certifies \(e.file), which the bag does not hold") }
        r.add(fileName, problems.isEmpty, problems.isEmpty
              ? "certifies all \(entries.count) payload file(s) with the manifest's SHA-512; covered by the signature"
              : problems.joined(separator: "; "))
        return problems.isEmpty ? entries : nil
    }
}
