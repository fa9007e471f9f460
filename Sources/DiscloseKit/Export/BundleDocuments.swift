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
                         payloads: [Payload], auditHead: AuditLog.Head, practice: Bool = false) -> DisclosureDocument {
        let r = outcome.files.request
        let d = outcome.decision
        func names(_ ds: DatasetOutcome, _ action: FieldAction) -> [DisclosureDocument.Field] {
            ds.decision.fields.filter { $0.action == action }.map { .init(field: $0.path.description, category: $0.category.rawValue, reason: $0.reason) }
        }
        return DisclosureDocument(
            practice: practice, bundleID: bundleID, created: created.description,
            provider: .init(name: provider, signingKeyID: signingKeyID, signingPublicKey: signingPublicKey),
            request: .init(id: r.id, sha512: outcome.files.requestDigest, received: r.received.description, emergency: r.emergency != nil,
                           window: window(r, zone: d.authority?.timeZone)),
            authority: .init(id: r.authority, name: d.authority?.name, country: d.authority?.country, timeZone: d.authority?.timeZone, hasTimeZone: true),
            instrument: .init(type: r.instrument.type, reference: r.instrument.reference, issuerRole: r.instrument.issuerRole, legalBasis: d.legalBasis,
                              issued: r.instrument.issued.description, expires: r.instrument.expires?.description),
            verdict: outcome.verdict.rawValue,
            categories: d.categories.filter(\.requested).map { .init(category: $0.category.rawValue, granted: $0.granted, reason: $0.reason) },
            datasets: outcome.datasets.map { ds in
                let dataset = ds.decision.dataset
                return .init(name: dataset.name, file: payloads.first { $0.dataset == dataset.name }?.file,
                             format: dataset.format == .csv ? "csv" : "jsonl", timeField: dataset.timeField?.description,
                             timeFormat: dataset.timeField == nil ? nil : dataset.timeFormat.rawValue,
                             recordsDisclosed: ds.statistics.recordsDisclosed,
                             disclosed: names(ds, .disclose), pseudonymized: names(ds, .pseudonymize), masked: names(ds, .mask),
                             ipPrefix: names(ds, .ipPrefix), withheld: names(ds, .withhold),
                             // Unmapped paths come from records: only generalised here (issue 14.2);
                             // in full in the encrypted record.
                             unmapped: UnmappedSummary.of(ds.statistics.unmappedFields, mapped: ds.decision.fields.map(\.path)).map {
                                 .init(field: $0.field, names: $0.names, values: $0.values, action: "withhold", reason: "not in the data map")
                             })
            },
            recordFile: "data/record.json.age",
            recipients: recipients.map { .init(recipient: $0.recipient, role: $0.role) },
            plan: .init(sha512: PlanDigest.hex(plan), blake2b512: Hex.encode(BLAKE2b.hash(plan))),
            approvalsRequired: .init(count: d.approvals.count, roles: d.approvals.roles),
            approvals: approvals.map { a in
                .init(verdict: a.approval.verdict.rawValue, role: a.approver.role, keyID: a.publicKey.keyIDString, publicKey: a.publicKey.base64,
                      time: a.approval.time.description, signature: a.signatureText)
            },
            auditHead: .init(sequence: auditHead.sequence, sha512: auditHead.hash))
    }

    /// The request's window: as sent (the request's own text, e.g. with the authority's
    /// offset) and as the instants compared, in UTC.
    static func window(_ r: Request, zone: String?) -> DisclosureDocument.Window {
        .init(from: r.window.lowerBound.description, to: r.window.upperBound.description,
              asSent: r.windowAsSent.map { .init(from: $0.from, to: $0.to) }, timeZone: zone)
    }

    /// The encrypted disclosure record: everything an investigator needs to read the
    /// payload, including how subjects resolved, and the approved plan itself.
    static func record(outcome: CaseOutcome, bundleID: String, plan: [UInt8], payloads: [Payload]) -> DisclosureRecord {
        let basis = outcome.decision.legalBasis
        var log: [DisclosureRecord.Redaction] = []
        for ds in outcome.datasets {
            let name = ds.decision.dataset.name
            for f in ds.decision.fields {
                let counts = ds.statistics.fieldActions[f.path.description] ?? [:]
                log.append(.init(dataset: name, field: f.path.description, category: f.category.rawValue, thirdParty: f.thirdParty,
                                 action: f.action.rawValue, values: counts.values.reduce(0, +), reason: f.reason, legalBasis: basis))
            }
            for (path, n) in ds.statistics.unmappedFields.sorted(by: { $0.key < $1.key }) {
                log.append(.init(dataset: name, field: path, category: nil, thirdParty: false, action: "withhold", values: n,
                                 reason: "not in the data map: withheld (fail closed)", legalBasis: basis))
            }
        }
        return DisclosureRecord(
            bundleID: bundleID, requestID: outcome.files.request.id,
            subjects: outcome.subjects.map { s in
                .init(type: s.subject.kind.rawValue, value: s.subject.value, time: s.subject.time?.description, accounts: s.accounts, resolvedVia: s.via)
            },
            datasets: outcome.datasets.map { ds in
                let p = payloads.first { $0.dataset == ds.decision.dataset.name }
                let st = ds.statistics, dataset = ds.decision.dataset
                return .init(name: dataset.name, file: p?.file, timeField: dataset.timeField?.description,
                             timeFormat: dataset.timeField == nil ? nil : dataset.timeFormat.rawValue,
                             plaintextBytes: p?.plaintextBytes ?? 0, plaintextBLAKE2b512: ds.outputBLAKE2b512,
                             records: .init(scanned: st.recordsScanned, ofSubjects: st.recordsForSubjects, outsideWindow: st.recordsOutsideWindow,
                                            unparseableTime: st.recordsWithUnparseableTime, disclosed: st.recordsDisclosed))
            },
            redactionLog: log, planDocument: String(decoding: plan, as: UTF8.self))
    }
}
