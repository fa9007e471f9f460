/// The disclosure record (`disclose-record/1`, encrypted in the bundle as
/// `data/record.json.age`) as one typed value: `BundleDocuments.record` writes it and the
/// verifier and `summary.html` read it back. It holds personal data — the subjects, the
/// accounts they resolved to, every field's fate and the approved plan itself — which is
/// why it only ever exists encrypted or under `verify --extract`.
public struct DisclosureRecord: Sendable, Equatable {
    public var bundleID, requestID: String
    public var subjects: [Subject]
    public var datasets: [Dataset]
    public var redactionLog: [Redaction]
    /// The approved plan document, byte for byte (as text).
    public var planDocument: String

    /// A subject identifier and the accounts it resolved to.
    public struct Subject: Sendable, Equatable {
        public var type, value: String
        public var time: String?
        public var accounts, resolvedVia: [String]
    }

    /// A dataset's payload: file, time field, plaintext size and digest, counts.
    public struct Dataset: Sendable, Equatable {
        public var name: String
        public var file: String?
        public var timeField, timeFormat: String?
        public var plaintextBytes: Int
        public var plaintextBLAKE2b512: String
        public var records: PlanModel.Records
    }

    /// One field's fate in one dataset, with its legal basis (`category` nil: unmapped).
    public struct Redaction: Sendable, Equatable {
        public var dataset, field: String
        public var category: String?
        public var thirdParty: Bool
        public var action: String
        public var values: Int
        public var reason, legalBasis: String
    }
}

extension DisclosureRecord {
    /// The document's members in their fixed order.
    public var json: JSONOutput {
        .object([
            ("format", .string(BundleDocuments.recordFormat)),
            ("bundle_id", .string(bundleID)),
            ("request_id", .string(requestID)),
            ("subjects", .array(subjects.map { s in
                .object([("type", .string(s.type)), ("value", .string(s.value)), ("time", .optional(s.time)),
                         ("accounts", .array(s.accounts.map { .string($0) })), ("resolved_via", .array(s.resolvedVia.map { .string($0) }))])
            })),
            ("datasets", .array(datasets.map { d in
                .object([
                    ("name", .string(d.name)), ("file", .optional(d.file)), ("time_field", .optional(d.timeField)), ("time_format", .optional(d.timeFormat)),
                    ("plaintext_bytes", .int(d.plaintextBytes)), ("plaintext_blake2b512", .string(d.plaintextBLAKE2b512)),
                    ("records", .object([("scanned", .int(d.records.scanned)), ("of_subjects", .int(d.records.ofSubjects)),
                                         ("outside_window", .int(d.records.outsideWindow)), ("unparseable_time", .int(d.records.unparseableTime)),
                                         ("disclosed", .int(d.records.disclosed))])),
                ])
            })),
            ("redaction_log", .array(redactionLog.map { e in
                .object([("dataset", .string(e.dataset)), ("field", .string(e.field)), ("category", .optional(e.category)),
                         ("third_party", .bool(e.thirdParty)), ("action", .string(e.action)), ("values", .int(e.values)),
                         ("reason", .string(e.reason)), ("legal_basis", .string(e.legalBasis))])
            })),
            ("plan_document", .string(planDocument)),
        ])
    }

    /// Largest disclosure record read.
    public static let maxBytes = 256 << 20

    /// Reads a decrypted record (`file` names it in errors). Strict: every member is
    /// required and typed (`time_field`/`time_format` may be absent in older records).
    public static func read(_ bytes: [UInt8], file: String) throws -> DisclosureRecord {
        let root = try DocumentJSON.parse(bytes, file: file, limit: maxBytes)
        var o = try DocumentFields(root, file: file)
        guard try o.text("format") == BundleDocuments.recordFormat else {
            throw o.fail("format", root["format"], "not a disclosure record (\(BundleDocuments.recordFormat))")
        }
        return DisclosureRecord(
            bundleID: try o.text("bundle_id"), requestID: try o.text("request_id"),
            subjects: try o.objects("subjects").map { s in
                var s = s
                return Subject(type: try s.text("type"), value: try s.text("value"), time: try s.nullableText("time"),
                               accounts: try s.texts("accounts"), resolvedVia: try s.texts("resolved_via"))
            },
            datasets: try o.objects("datasets").map { d in
                var d = d
                var r = try d.object("records")
                return Dataset(name: try d.text("name"), file: try d.nullableText("file"), timeField: try d.nullableText("time_field"),
                               timeFormat: try d.nullableText("time_format"), plaintextBytes: try d.count("plaintext_bytes"),
                               plaintextBLAKE2b512: try d.text("plaintext_blake2b512"),
                               records: .init(scanned: try r.count("scanned"), ofSubjects: try r.count("of_subjects"),
                                              outsideWindow: try r.count("outside_window"), unparseableTime: try r.count("unparseable_time"),
                                              disclosed: try r.count("disclosed")))
            },
            redactionLog: try o.objects("redaction_log").map { e in
                var e = e
                return Redaction(dataset: try e.text("dataset"), field: try e.text("field"), category: try e.nullableText("category"),
                                 thirdParty: try e.flag("third_party"), action: try e.text("action"), values: try e.count("values"),
                                 reason: try e.text("reason"), legalBasis: try e.text("legal_basis"))
            },
            planDocument: try o.text("plan_document"))
    }
}
