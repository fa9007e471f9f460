/// `preservation.json` (`disclose-preservation/1`), the clear manifest of a preservation:
/// what was sealed, for whom, until when — free of personal data. One typed value,
/// written by `Preservation` and read back by `read` (strict: every member required and
/// typed; `practice` only on practice preservations).
public struct PreservationDocument: Sendable, Equatable {
    /// True for a practice preservation (written right after the format).
    public var practice: Bool
    /// The request's id, digest and receipt.
    public var requestID, requestSHA512, received: String
    /// The authority's id.
    public var authority: String
    /// The instrument's type, reference and the policy's legal basis for it.
    public var instrumentType, reference, legalBasis: String
    /// When the records were sealed, and until when they are kept.
    public var preserved, until: String
    /// Days one extension adds (0: none allowed).
    public var extensionDays: Int
    /// The request's window (UTC).
    public var windowFrom, windowTo: String
    /// Subject identifiers, and accounts they resolved to.
    public var subjects, accounts: Int
    /// Digests of the data map and policy used.
    public var dataMapSHA512, policySHA512: String
    /// The escrow recipients the files are sealed to.
    public var recipients: [String]
    /// Each sealed dataset file with its digests.
    public var datasets: [PreservedFile]

    /// The document's members in their fixed order.
    public var json: JSONOutput {
        .object([("format", .string(Preservation.format))] + (practice ? [("practice", .bool(true))] : []) + [
            ("request", .object([("id", .string(requestID)), ("sha512", .string(requestSHA512)), ("received", .string(received))])),
            ("authority", .string(authority)),
            ("instrument", .object([("type", .string(instrumentType)), ("reference", .string(reference)), ("legal_basis", .string(legalBasis))])),
            ("preserved", .string(preserved)), ("until", .string(until)),
            ("extension_days", .int(extensionDays)),
            ("window", .object([("from", .string(windowFrom)), ("to", .string(windowTo))])),
            ("subjects", .int(subjects)), ("accounts", .int(accounts)),
            ("data_map_sha512", .string(dataMapSHA512)), ("policy_sha512", .string(policySHA512)),
            ("recipients", .array(recipients.map { .string($0) })),
            ("datasets", .array(datasets.map {
                .object([("name", .string($0.dataset)), ("file", .string($0.file)), ("records", .int($0.records)),
                         ("plaintext_blake2b512", .string($0.plaintextBLAKE2b512)), ("sha512", .string($0.sha512))])
            })),
        ])
    }

    /// Reads `preservation.json` (`file` names it in errors).
    public static func read(_ bytes: [UInt8], file: String) throws -> PreservationDocument {
        let root = try DocumentJSON.parse(bytes, file: file)
        var o = try DocumentFields(root, file: file)
        guard try o.text("format") == Preservation.format else {
            throw o.fail("format", root["format"], "not a preservation manifest (\(Preservation.format))")
        }
        let practice = try o.bool("practice", default: false)
        var r = try o.object("request"), i = try o.object("instrument"), w = try o.object("window")
        let doc = PreservationDocument(
            practice: practice, requestID: try r.text("id"), requestSHA512: try r.text("sha512"), received: try r.text("received"),
            authority: try o.text("authority"), instrumentType: try i.text("type"), reference: try i.text("reference"),
            legalBasis: try i.text("legal_basis"), preserved: try o.text("preserved"), until: try o.text("until"),
            extensionDays: try o.count("extension_days"), windowFrom: try w.text("from"), windowTo: try w.text("to"),
            subjects: try o.count("subjects"), accounts: try o.count("accounts"),
            dataMapSHA512: try o.text("data_map_sha512"), policySHA512: try o.text("policy_sha512"),
            recipients: try o.texts("recipients"),
            datasets: try o.objects("datasets").map { d in
                var d = d
                return PreservedFile(dataset: try d.text("name"), file: try d.text("file"), records: try d.count("records"),
                                     plaintextBLAKE2b512: try d.text("plaintext_blake2b512"), sha512: try d.text("sha512"))
            })
        for sub in [r, i, w] { try sub.finish() }
        try o.finish()
        return doc
    }
}
