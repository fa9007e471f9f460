/// A plan document read back for people: every fact the reviewer's sheet and the terminal
/// report show, taken from the plan's own bytes (so what is shown is what is signed), plus
/// what only the provider's files know (dataset descriptions, the authority's name and time
/// zone, recipients, approvals so far) when those files are at hand and are the very ones
/// the plan was made from.
public struct PlanView: Sendable {
    /// A policy check as recorded in the plan.
    public struct Check: Sendable { public var name, outcome, detail: String }
    /// A requested or refused data category.
    public struct Category: Sendable { public var name: String; public var requested, granted: Bool; public var reason: String }
    /// A subject identifier and how it resolved.
    public struct Subject: Sendable {
        public var type, value: String
        public var time: Instant?
        public var accounts: Int
        public var resolvedVia: [String]
        /// Records (and accounts) whose identifier only looks like this one: not resolved.
        public var lookAlikeRecords = 0, lookAlikeAccounts = 0
    }
    /// One field's decision within a dataset.
    public struct Field: Sendable {
        public var path, category: String
        public var thirdParty: Bool
        public var action, reason: String
        /// Values the action applied to.
        public var values: Int
        /// True for a field in the records that the data map does not know.
        public var unmapped: Bool
    }
    /// Fields sharing one action and one reason: said once in the sheet and the report.
    public struct FieldGroup: Sendable { public var action, reason: String; public var fields: [Field] }
    /// One dataset of the plan.
    public struct Dataset: Sendable {
        public var name, format: String
        /// The data map's own words, when the data map at hand is the plan's.
        public var description: String?
        /// The time field and its format (`rfc3339`, `epoch_ms`, …), when known.
        public var timeField: String?
        public var timeFormat: String?
        public var inputFiles: Int
        public var windowApplies: Bool
        public var scanned, ofSubjects, outsideWindow, unparseableTime, disclosed: Int
        public var fields: [Field]
        public var outputName: String
        public var outputBytes: Int
        public var outputBLAKE2b512: String

        /// Fields grouped by action (disclose, pseudonymize, mask, ip_prefix, withhold, and
        /// `keep` for empty containers), then by reason, in that order.
        public var groups: [FieldGroup] {
            var out: [FieldGroup] = []
            for action in FieldAction.allCases.map(\.rawValue) + ["keep"] {
                for f in fields where f.action == action {
                    if let i = out.firstIndex(where: { $0.action == action && $0.reason == f.reason }) { out[i].fields.append(f) }
                    else { out.append(FieldGroup(action: action, reason: f.reason, fields: [f])) }
                }
            }
            return out
        }
    }
    /// An age recipient and whom it stands for.
    public struct Recipient: Sendable { public var role, recipient: String }
    /// A reviewer decision found beside the plan.
    public struct Decision: Sendable { public var verdict, reviewer, role, keyID: String; public var time: Instant; public var reason: String? }

    /// Hex SHA-512 of the plan bytes: what `approve` signs.
    public var digest: String
    public var requestID, requestFile, received, authorityID, authorityCountry: String
    /// From the policy at hand, when it is the plan's.
    public var authorityName: String?
    /// The authority's IANA time zone, when the policy names one.
    public var timeZone: String?
    /// True when the policy at hand makes this instrument a preservation: records are
    /// sealed to the provider's escrow (`disclose preserve`), nothing is disclosed.
    public var preservation = false
    public var instrumentType, instrumentLabel, reference, issuerRole, jurisdiction, legalBasis: String
    public var issued: Instant?
    public var expires: Instant?
    public var receivedAt: Instant?
    public var emergency: Bool
    /// The request's emergency statement, when planning (the plan document does not hold it).
    public var emergencyStatement: String? = nil
    public var windowFrom, windowTo: Instant?
    public var categoriesRequested: [String]
    public var checks: [Check]
    public var verdict: CaseOutcome.Verdict
    public var categories: [Category]
    public var approvalsCount: Int
    public var approvalRoles: [String]
    public var subjects: [Subject]
    public var datasets: [Dataset]
    /// Recipients by role; empty when the policy is not at hand.
    public var recipients: [Recipient] = []
    /// Decisions found beside the plan (checked against the policy), and what is still missing.
    public var decisions: [Decision] = []
    public var stillRequired: [String] = []
    /// Whether approvals were looked for (a plan path and the policy were at hand).
    public var approvalsLooked = false
    /// What could not be shown and why (e.g. the data map changed since the plan was made).
    public var notes: [String] = []

    /// Total records disclosed over all datasets.
    public var recordsDisclosed: Int { datasets.reduce(0) { $0 + $1.disclosed } }
}

extension PlanView {
    /// Reads `plan` (a `disclose-plan/1` document) and adds what `context` knows.
    public init(plan: [UInt8], file: String, context: PlanContext? = nil) throws {
        let m = try PlanModel.read(plan, file: file)
        func s(_ text: String?) -> String { TerminalStyle.printable(text ?? "") }
        func t(_ text: String?) -> Instant? { text.flatMap { TimeParsing.parse($0, format: .rfc3339) } }
        let r = m.request, i = r.instrument
        digest = PlanDigest.hex(plan)
        requestID = s(r.id); requestFile = s(m.inputs.requestFile)
        received = s(r.received); receivedAt = t(r.received)
        authorityID = s(r.authority); authorityCountry = s(r.authorityCountry)
        instrumentType = s(i.type); instrumentLabel = s(i.type); reference = s(i.reference)
        issuerRole = s(i.issuerRole); jurisdiction = s(i.jurisdiction); legalBasis = s(i.legalBasis)
        issued = t(i.issued); expires = t(i.expires)
        emergency = r.emergency
        windowFrom = t(r.window.from); windowTo = t(r.window.to)
        categoriesRequested = r.categoriesRequested
        checks = m.checks.map { Check(name: s($0.check), outcome: s($0.outcome), detail: s($0.detail)) }
        verdict = CaseOutcome.Verdict(rawValue: m.verdict) ?? .refused
        categories = m.categories.map { Category(name: s($0.category), requested: $0.requested, granted: $0.granted, reason: s($0.reason)) }
        approvalsCount = m.approvalsRequired.count
        approvalRoles = m.approvalsRequired.roles
        subjects = m.subjects.map {
            Subject(type: s($0.type), value: s($0.value), time: t($0.time), accounts: $0.accounts, resolvedVia: $0.resolvedVia,
                    lookAlikeRecords: $0.lookAlikes?.records ?? 0, lookAlikeAccounts: $0.lookAlikes?.accounts ?? 0)
        }
        datasets = m.datasets.map { d in
            let mapped = d.fields.map {
                Field(path: s($0.path), category: s($0.category), thirdParty: $0.thirdParty, action: s($0.action), reason: s($0.reason),
                      values: $0.values.reduce(0) { $0 + $1.count }, unmapped: false)
            }
            let unmapped = d.unmappedFields.map {
                Field(path: s($0.path), category: "unmapped", thirdParty: false, action: "withhold",
                      reason: "not in the data map: withheld (fail closed)", values: $0.values, unmapped: true)
            }
            // Empty containers kept as [] or {} (present only when some): no values leave.
            let kept = d.emptyContainers.map {
                Field(path: s($0.path), category: "empty", thirdParty: false, action: s($0.action), reason: s($0.reason), values: $0.values, unmapped: false)
            }
            return Dataset(name: s(d.name), format: s(d.format), description: nil, timeField: nil, timeFormat: nil,
                           inputFiles: d.inputFiles.count, windowApplies: d.windowApplies,
                           scanned: d.records.scanned, ofSubjects: d.records.ofSubjects, outsideWindow: d.records.outsideWindow,
                           unparseableTime: d.records.unparseableTime, disclosed: d.records.disclosed, fields: mapped + unmapped + kept,
                           outputName: s(d.output.name), outputBytes: d.output.bytes, outputBLAKE2b512: s(d.output.blake2b512))
        }
        if let context { apply(context, plan: plan, inputs: m.inputs) } else {
            notes.append("the provider's data map and policy were not at hand: dataset descriptions, the authority's name and time zone, recipients and approvals are not shown")
        }
    }

    private mutating func apply(_ c: PlanContext, plan: [UInt8], inputs: PlanModel.Inputs) {
        emergencyStatement = c.emergencyStatement.map { TerminalStyle.printable($0) }
        if let map = c.dataMap {
            if map.digest == inputs.dataMapSHA512 {
                for k in datasets.indices {
                    guard let d = map.map.datasets.first(where: { $0.name == datasets[k].name }) else { continue }
                    datasets[k].description = d.description.map { TerminalStyle.printable($0) }
                    datasets[k].timeField = d.timeField?.description
                    datasets[k].timeFormat = d.timeField == nil ? nil : d.timeFormat.rawValue
                }
            } else {
                notes.append("the data map at hand is not the one this plan was made from: dataset descriptions are not shown")
            }
        }
        guard let p = c.policy else { return }
        guard p.digest == inputs.policySHA512 else {
            notes.append("the policy at hand is not the one this plan was made from: the authority's name, recipients and approvals are not shown")
            return
        }
        let authority = p.policy.authorities[authorityID]
        authorityName = authority.map { TerminalStyle.printable($0.name) }
        timeZone = authority?.timeZone
        if let label = p.policy.instruments[instrumentType]?.label { instrumentLabel = TerminalStyle.printable(label) }
        preservation = p.policy.instruments[instrumentType]?.preservation != nil
        recipients = (preservation ? [] : (authority?.recipients ?? []).map { Recipient(role: "authority", recipient: TerminalStyle.printable($0)) })
            + p.policy.escrowRecipients.map { Recipient(role: "provider escrow", recipient: TerminalStyle.printable($0)) }
        if let found = c.approvals {
            approvalsLooked = true
            let check = ApprovalCheck.check(plan: plan, signatures: found, policy: p.policy,
                                            rule: Policy.ApprovalRule(count: approvalsCount, roles: approvalRoles))
            decisions = check.valid.map {
                Decision(verdict: $0.approval.verdict.rawValue, reviewer: TerminalStyle.printable($0.approver.name), role: TerminalStyle.printable($0.approver.role),
                         keyID: $0.publicKey.keyIDString, time: $0.approval.time, reason: $0.approval.reason.map { TerminalStyle.printable($0) })
            }
            stillRequired = check.unmet.map { TerminalStyle.printable($0) }
            notes += check.problems.map { "not counted: " + TerminalStyle.printable($0) }
        }
    }
}
