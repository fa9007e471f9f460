import Sodium

/// The JSON documents inside a bundle: `disclosure.json` (clear, free of personal data)
/// and the disclosure record (encrypted: subjects, counts, digests, redaction log, plan).
enum BundleDocuments {
    static let manifestFormat = "disclose-bundle/1"
    static let recordFormat = "disclose-record/1"

    struct Payload {
        var dataset: String
        var file: String
        var plaintextBytes: Int
        var plaintextBLAKE2b512: String
        var ciphertextBytes: Int
    }

    /// `disclosure.json`: names, reasons, counts, keys and digests only — field names from
    /// the data map, never a path taken from a record (unmapped fields are summarised).
    static func manifest(outcome: CaseOutcome, bundleID: String, created: Instant, provider: String, signingKeyID: String,
                         signingPublicKey: String, recipients: [(recipient: String, role: String)], approvals: [CheckedApproval], plan: [UInt8],
                         payloads: [Payload], auditHead: AuditLog.Head, practice: Bool = false) -> JSONOutput {
        let r = outcome.files.request
        let d = outcome.decision
        func names(_ ds: DatasetOutcome, _ action: FieldAction) -> JSONOutput {
            .array(ds.decision.fields.filter { $0.action == action }.map { f in
                .object([("field", .string(f.path.description)), ("category", .string(f.category.rawValue)), ("reason", .string(f.reason))])
            })
        }
        let mark: [(String, JSONOutput)] = practice ? [("practice", .bool(true))] : []
        return .object([("format", .string(manifestFormat))] + mark + [
            ("bundle_id", .string(bundleID)),
            ("created", .string(created.description)),
            ("provider", .object([("name", .string(provider)), ("signing_key_id", .string(signingKeyID)), ("signing_public_key", .string(signingPublicKey))])),
            ("request", .object([
                ("id", .string(r.id)),
                ("sha512", .string(outcome.files.requestDigest)),
                ("received", .string(r.received.description)),
                ("emergency", .bool(r.emergency != nil)),
                ("window", window(r, zone: d.authority?.timeZone)),
            ])),
            ("authority", .object([("id", .string(r.authority)), ("name", .optional(d.authority?.name)), ("country", .optional(d.authority?.country)),
                                   ("time_zone", .optional(d.authority?.timeZone))])),
            ("instrument", .object([
                ("type", .string(r.instrument.type)), ("reference", .string(r.instrument.reference)),
                ("issuer_role", .string(r.instrument.issuerRole)), ("legal_basis", .string(d.legalBasis)),
                ("issued", .string(r.instrument.issued.description)), ("expires", .optional(r.instrument.expires?.description)),
            ])),
            ("verdict", .string(outcome.verdict.rawValue)),
            ("categories", .array(d.categories.filter(\.requested).map {
                .object([("category", .string($0.category.rawValue)), ("granted", .bool($0.granted)), ("reason", .string($0.reason))])
            })),
            ("datasets", .array(outcome.datasets.map { ds in
                let p = payloads.first { $0.dataset == ds.decision.dataset.name }
                return .object([
                    ("name", .string(ds.decision.dataset.name)),
                    ("file", .optional(p?.file)),
                    ("format", .string(ds.decision.dataset.format == .csv ? "csv" : "jsonl")),
                    ("time_field", .optional(ds.decision.dataset.timeField?.description)),
                    ("time_format", .optional(ds.decision.dataset.timeField == nil ? nil : ds.decision.dataset.timeFormat.rawValue)),
                    ("records_disclosed", .int(ds.statistics.recordsDisclosed)),
                    ("disclosed", names(ds, .disclose)),
                    ("pseudonymized", names(ds, .pseudonymize)),
                    ("masked", names(ds, .mask)),
                    ("ip_prefix", names(ds, .ipPrefix)),
                    ("withheld", names(ds, .withhold)),
                    // Unmapped paths come from records: only generalised here (issue 14.2);
                    // in full in the encrypted record.
                    ("unmapped", .array(UnmappedSummary.of(ds.statistics.unmappedFields, mapped: ds.decision.fields.map(\.path)).map {
                        .object([("field", .string($0.field)), ("names", .int($0.names)), ("values", .int($0.values)),
                                 ("action", "withhold"), ("reason", "not in the data map")])
                    })),
                ])
            })),
            ("record_file", "data/record.json.age"),
            ("recipients", .array(recipients.map { .object([("recipient", .string($0.recipient)), ("role", .string($0.role))]) })),
            ("plan", .object([("sha512", .string(PlanDigest.hex(plan))), ("blake2b512", .string(Hex.encode(BLAKE2b.hash(plan))))])),
            ("approvals_required", .object([("count", .int(d.approvals.count)), ("roles", .array(d.approvals.roles.map { .string($0) }))])),
            ("approvals", .array(approvals.map { a in
                .object([
                    ("verdict", .string(a.approval.verdict.rawValue)),
                    ("role", .string(a.approver.role)),
                    ("key_id", .string(a.publicKey.keyIDString)),
                    ("public_key", .string(a.publicKey.base64)),
                    ("time", .string(a.approval.time.description)),
                    ("signature", .string(a.signatureText)),
                ])
            })),
            ("audit_head", .object([("sequence", .int(auditHead.sequence)), ("sha512", .string(auditHead.hash))])),
        ])
    }

    /// The request's window: as sent (the request's own text, e.g. with the authority's
    /// offset) and as the instants compared, in UTC.
    static func window(_ r: Request, zone: String?) -> JSONOutput {
        .object([
            ("from", .string(r.window.lowerBound.description)), ("to", .string(r.window.upperBound.description)),
            ("as_sent", r.windowAsSent.map { .object([("from", .string($0.from)), ("to", .string($0.to))]) } ?? .null),
            ("time_zone", .optional(zone)),
        ])
    }

    /// The encrypted disclosure record: everything an investigator needs to read the
    /// payload, including how subjects resolved, and the approved plan itself.
    static func record(outcome: CaseOutcome, bundleID: String, plan: [UInt8], payloads: [Payload]) -> JSONOutput {
        let basis = outcome.decision.legalBasis
        var log: [JSONOutput] = []
        for ds in outcome.datasets {
            for f in ds.decision.fields {
                let counts = ds.statistics.fieldActions[f.path.description] ?? [:]
                log.append(.object([
                    ("dataset", .string(ds.decision.dataset.name)), ("field", .string(f.path.description)),
                    ("category", .string(f.category.rawValue)), ("third_party", .bool(f.thirdParty)),
                    ("action", .string(f.action.rawValue)), ("values", .int(counts.values.reduce(0, +))),
                    ("reason", .string(f.reason)), ("legal_basis", .string(basis)),
                ]))
            }
            for (path, n) in ds.statistics.unmappedFields.sorted(by: { $0.key < $1.key }) {
                log.append(.object([
                    ("dataset", .string(ds.decision.dataset.name)), ("field", .string(path)), ("category", .null),
                    ("third_party", false), ("action", "withhold"), ("values", .int(n)),
                    ("reason", "not in the data map: withheld (fail closed)"), ("legal_basis", .string(basis)),
                ]))
            }
        }
        return .object([
            ("format", .string(recordFormat)),
            ("bundle_id", .string(bundleID)),
            ("request_id", .string(outcome.files.request.id)),
            ("subjects", .array(outcome.subjects.map { s in
                .object([("type", .string(s.subject.kind.rawValue)), ("value", .string(s.subject.value)),
                         ("time", .optional(s.subject.time?.description)), ("accounts", .array(s.accounts.map { .string($0) })),
                         ("resolved_via", .array(s.via.map { .string($0) }))])
            })),
            ("datasets", .array(outcome.datasets.map { ds in
                let p = payloads.first { $0.dataset == ds.decision.dataset.name }
                let st = ds.statistics
                return .object([
                    ("name", .string(ds.decision.dataset.name)), ("file", .optional(p?.file)),
                    ("time_field", .optional(ds.decision.dataset.timeField?.description)),
                    ("time_format", .optional(ds.decision.dataset.timeField == nil ? nil : ds.decision.dataset.timeFormat.rawValue)),
                    ("plaintext_bytes", .int(p?.plaintextBytes ?? 0)), ("plaintext_blake2b512", .string(ds.outputBLAKE2b512)),
                    ("records", .object([("scanned", .int(st.recordsScanned)), ("of_subjects", .int(st.recordsForSubjects)),
                                         ("outside_window", .int(st.recordsOutsideWindow)), ("unparseable_time", .int(st.recordsWithUnparseableTime)),
                                         ("disclosed", .int(st.recordsDisclosed))])),
                ])
            })),
            ("redaction_log", .array(log)),
            ("plan_document", .string(String(decoding: plan, as: UTF8.self))),
        ])
    }
}

extension JSONOutput {
    /// The elements of an array value (empty otherwise).
    var arrayValue: [JSONOutput] { if case .array(let a) = self { return a }; return [] }
}
