import Sodium

/// The plan document: the deterministic JSON that reviewers sign and `export` must
/// reproduce exactly. It holds digests of every input, every decision with its reason,
/// how subjects resolved, record counts and the digest of each dataset's scoped output —
/// never a record value, never a pseudonymization key.
public enum PlanDocument {
    /// Format identifier written into every plan.
    public static let format = "disclose-plan/1"

    /// The document for `outcome`; a practice plan carries `"practice": true` right after
    /// the format (real plans do not carry the member at all).
    public static func json(_ outcome: CaseOutcome, practice: Bool = false) -> JSONOutput {
        model(outcome, practice: practice).json
    }

    /// The typed plan for `outcome`: what `json` writes and `PlanModel.read` reads back.
    public static func model(_ outcome: CaseOutcome, practice: Bool = false) -> PlanModel {
        let f = outcome.files
        let r = f.request
        let d = outcome.decision
        return PlanModel(
            practice: practice,
            request: .init(id: r.id, received: r.received.description, authority: r.authority, authorityCountry: d.authority?.country,
                           instrument: .init(type: r.instrument.type, reference: r.instrument.reference, issuerRole: r.instrument.issuerRole,
                                             issued: r.instrument.issued.description, expires: r.instrument.expires?.description,
                                             jurisdiction: d.instrument?.jurisdiction, legalBasis: d.legalBasis),
                           emergency: r.emergency != nil, window: WindowDisplay.window(r), categoriesRequested: r.categories.sorted().map(\.rawValue)),
            inputs: .init(requestFile: f.requestReference, requestSHA512: f.requestDigest, dataMapSHA512: f.dataMapDigest,
                          policySHA512: f.policyDigest, caseNonce: outcome.caseNonce),
            checks: d.checks.map { .init(check: $0.name, outcome: $0.outcome.rawValue, detail: $0.detail) },
            verdict: outcome.verdict.rawValue,
            categories: d.categories.map { .init(category: $0.category.rawValue, requested: $0.requested, granted: $0.granted, reason: $0.reason) },
            approvalsRequired: .init(count: d.approvals.count, roles: d.approvals.roles),
            subjects: outcome.subjects.map { s in
                .init(type: s.subject.kind.rawValue, value: s.subject.value, time: s.subject.time?.description, accounts: s.accounts.count,
                      accountsSHA512: Hex.encode(SHA512.hash(Array(s.accounts.joined(separator: "\n").utf8))), resolvedVia: s.via,
                      lookAlikes: .init(records: s.lookAlikeRecords, accounts: s.lookAlikeAccounts))
            },
            datasets: outcome.datasets.map(dataset))
    }

    static func dataset(_ o: DatasetOutcome) -> PlanModel.Dataset {
        let s = o.statistics
        return PlanModel.Dataset(
            name: o.decision.dataset.name, format: o.decision.dataset.format.rawValue, inputFiles: o.inputFiles,
            windowApplies: o.decision.windowApplies,
            records: .init(scanned: s.recordsScanned, ofSubjects: s.recordsForSubjects, outsideWindow: s.recordsOutsideWindow,
                           unparseableTime: s.recordsWithUnparseableTime, disclosed: s.recordsDisclosed),
            fields: o.decision.fields.map { fd in
                let counts = s.fieldActions[fd.path.description] ?? [:]
                return .init(path: fd.path.description, category: fd.category.rawValue, thirdParty: fd.thirdParty, action: fd.action.rawValue,
                             reason: fd.reason, values: counts.keys.sorted().map { .init(name: $0, count: counts[$0]!) })
            },
            unmappedFields: s.unmappedFields.keys.sorted().map {
                .init(path: $0, action: "withhold", reason: "not in the data map", values: s.unmappedFields[$0]!)
            },
            // Written only when there are some, so plans without empty containers keep their bytes.
            emptyContainers: s.emptyContainers.keys.sorted().map {
                .init(path: $0, action: "keep", reason: "empty in the record; a path below it may be disclosed", values: s.emptyContainers[$0]!)
            },
            output: .init(name: o.outputName, bytes: s.outputBytes, blake2b512: o.outputBLAKE2b512))
    }

    /// The exact bytes that reviewers sign.
    public static func bytes(_ outcome: CaseOutcome, practice: Bool = false) -> [UInt8] { Array(json(outcome, practice: practice).pretty.utf8) }
}

/// The digest that identifies a plan: approvals name it, export recomputes it.
public enum PlanDigest {
    /// Hex SHA-512 of the plan document bytes.
    public static func hex(_ document: [UInt8]) -> String { Hex.encode(SHA512.hash(document)) }
}
