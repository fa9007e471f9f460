/// The plan document (`disclose-plan/1`) as one typed value, used both to write it
/// (`PlanDocument`, byte for byte what reviewers sign) and to read it back (`PlanModel.read`
/// in `PlanModelReading.swift`): every key of the format is named once, here and there, so
/// a renamed key is a compile error rather than a silently empty field.
///
/// Values are kept as the document spells them (strings for verdicts, actions and times),
/// so a document reads back to the very value that wrote it.
public struct PlanModel: Sendable, Equatable {
    /// `"practice": true` right after the format; real plans do not carry the member.
    public var practice: Bool
    /// What was asked, by whom, under which instrument.
    public var request: Request
    /// Digests of the inputs and the case nonce.
    public var inputs: Inputs
    /// The policy checks, in order.
    public var checks: [Check]
    /// `disclose`, `no_data` or `refused`.
    public var verdict: String
    /// Every data category: requested, granted, why.
    public var categories: [Category]
    /// The approval rule the policy set for this instrument.
    public var approvalsRequired: ApprovalsRequired
    /// How each subject identifier resolved.
    public var subjects: [Subject]
    /// Per dataset: decisions, counts and the scoped output's digest.
    public var datasets: [Dataset]

    /// The plan's `request` member.
    public struct Request: Sendable, Equatable {
        public var id, received, authority: String
        /// Null when the policy gives the authority no country.
        public var authorityCountry: String?
        public var instrument: Instrument
        public var emergency: Bool
        public var window: Window
        public var categoriesRequested: [String]
    }

    /// The request's instrument and the legal basis the policy gives it.
    public struct Instrument: Sendable, Equatable {
        public var type, reference, issuerRole, issued: String
        public var expires, jurisdiction: String?
        public var legalBasis: String
    }

    /// The window in UTC, and (newer plans) as sent and in the authority's zone.
    public struct Window: Sendable, Equatable {
        public var from, to: String
        /// The reading shown to reviewers; absent in plans made before it was written.
        public var display: Display?
    }

    /// `as_sent`, `time_zone` and `local` of a window (`WindowDisplay`).
    public struct Display: Sendable, Equatable {
        public var asSent: Span
        public var timeZone: String?
        public var local: Span?
    }

    /// A `from`/`to` pair of texts.
    public struct Span: Sendable, Equatable { public var from, to: String }

    /// The plan's `inputs`.
    public struct Inputs: Sendable, Equatable {
        public var requestFile, requestSHA512, dataMapSHA512, policySHA512: String
        /// 64 hex digits; absent in plans made before case nonces.
        public var caseNonce: String?
    }

    /// One policy check.
    public struct Check: Sendable, Equatable { public var check, outcome, detail: String }

    /// One data category's decision.
    public struct Category: Sendable, Equatable {
        public var category: String
        public var requested, granted: Bool
        public var reason: String
    }

    /// How many approvals, and from which roles.
    public struct ApprovalsRequired: Sendable, Equatable { public var count: Int; public var roles: [String] }

    /// One subject identifier and what it resolved to (a digest of the accounts, never the ids).
    public struct Subject: Sendable, Equatable {
        public var type, value: String
        public var time: String?
        public var accounts: Int
        public var accountsSHA512: String
        public var resolvedVia: [String]
        /// Records and accounts that only look like the identifier; absent in older plans.
        public var lookAlikes: LookAlikes?
    }

    /// Look-alike counts of a subject.
    public struct LookAlikes: Sendable, Equatable { public var records, accounts: Int }

    /// One dataset of the plan.
    public struct Dataset: Sendable, Equatable {
        public var name, format: String
        public var inputFiles: [String]
        public var windowApplies: Bool
        public var records: Records
        public var fields: [Field]
        public var unmappedFields: [CountedPath]
        /// Written only when some container was kept empty (so older plans keep their bytes).
        public var emptyContainers: [CountedPath]
        public var output: Output
    }

    /// A dataset's record counts.
    public struct Records: Sendable, Equatable {
        public var scanned, ofSubjects, outsideWindow, unparseableTime, disclosed: Int
    }

    /// A mapped field's decision and how many values each outcome touched.
    public struct Field: Sendable, Equatable {
        public var path, category: String
        public var thirdParty: Bool
        public var action, reason: String
        /// Value counts by name, in the document's (sorted) order.
        public var values: [Count]
    }

    /// A named count (`values` of a field).
    public struct Count: Sendable, Equatable { public var name: String; public var count: Int }

    /// A path with an action, a reason and a number of values: unmapped fields and kept
    /// empty containers.
    public struct CountedPath: Sendable, Equatable {
        public var path, action, reason: String
        public var values: Int
    }

    /// The scoped output's name, size and digest.
    public struct Output: Sendable, Equatable {
        public var name: String
        public var bytes: Int
        public var blake2b512: String
    }
}

extension PlanModel {
    /// The document's members in their fixed order: the bytes reviewers sign.
    public var json: JSONOutput {
        var members: [(String, JSONOutput)] = [("format", .string(PlanDocument.format))]
        if practice { members.append(("practice", .bool(true))) }
        let r = request, i = r.instrument
        var window: [(String, JSONOutput)] = [("from", .string(r.window.from)), ("to", .string(r.window.to))]
        if let d = r.window.display {
            window += [("as_sent", d.asSent.json), ("time_zone", .optional(d.timeZone)), ("local", d.local?.json ?? .null)]
        }
        members += [
            ("request", .object([
                ("id", .string(r.id)), ("received", .string(r.received)), ("authority", .string(r.authority)),
                ("authority_country", .optional(r.authorityCountry)),
                ("instrument", .object([
                    ("type", .string(i.type)), ("reference", .string(i.reference)), ("issuer_role", .string(i.issuerRole)),
                    ("issued", .string(i.issued)), ("expires", .optional(i.expires)), ("jurisdiction", .optional(i.jurisdiction)),
                    ("legal_basis", .string(i.legalBasis)),
                ])),
                ("emergency", .bool(r.emergency)),
                ("window", .object(window)),
                ("categories_requested", .array(r.categoriesRequested.map { .string($0) })),
            ])),
            ("inputs", .object([
                ("request_file", .string(inputs.requestFile)), ("request_sha512", .string(inputs.requestSHA512)),
                ("data_map_sha512", .string(inputs.dataMapSHA512)), ("policy_sha512", .string(inputs.policySHA512)),
            ] + (inputs.caseNonce.map { [("case_nonce", .string($0))] } ?? []))),
            ("checks", .array(checks.map { .object([("check", .string($0.check)), ("outcome", .string($0.outcome)), ("detail", .string($0.detail))]) })),
            ("verdict", .string(verdict)),
            ("categories", .array(categories.map {
                .object([("category", .string($0.category)), ("requested", .bool($0.requested)),
                         ("granted", .bool($0.granted)), ("reason", .string($0.reason))])
            })),
            ("approvals_required", .object([("count", .int(approvalsRequired.count)), ("roles", .array(approvalsRequired.roles.map { .string($0) }))])),
            ("subjects", .array(subjects.map(\.json))),
            ("datasets", .array(datasets.map(\.json))),
        ]
        return .object(members)
    }
}

extension PlanModel.Span {
    var json: JSONOutput { .object([("from", .string(from)), ("to", .string(to))]) }
}

extension PlanModel.Subject {
    var json: JSONOutput {
        var members: [(String, JSONOutput)] = [
            ("type", .string(type)), ("value", .string(value)), ("time", .optional(time)), ("accounts", .int(accounts)),
            ("accounts_sha512", .string(accountsSHA512)), ("resolved_via", .array(resolvedVia.map { .string($0) })),
        ]
        if let lookAlikes { members.append(("look_alikes", .object([("records", .int(lookAlikes.records)), ("accounts", .int(lookAlikes.accounts))]))) }
        return .object(members)
    }
}

extension PlanModel.CountedPath {
    var json: JSONOutput { .object([("path", .string(path)), ("action", .string(action)), ("reason", .string(reason)), ("values", .int(values))]) }
}

extension PlanModel.Dataset {
    var json: JSONOutput {
        var members: [(String, JSONOutput)] = [
            ("name", .string(name)), ("format", .string(format)), ("input_files", .array(inputFiles.map { .string($0) })),
            ("window_applies", .bool(windowApplies)),
            ("records", .object([
                ("scanned", .int(records.scanned)), ("of_subjects", .int(records.ofSubjects)), ("outside_window", .int(records.outsideWindow)),
                ("unparseable_time", .int(records.unparseableTime)), ("disclosed", .int(records.disclosed)),
            ])),
            ("fields", .array(fields.map { f in
                .object([("path", .string(f.path)), ("category", .string(f.category)), ("third_party", .bool(f.thirdParty)),
                         ("action", .string(f.action)), ("reason", .string(f.reason)),
                         ("values", .object(f.values.map { ($0.name, .int($0.count)) }))])
            })),
            ("unmapped_fields", .array(unmappedFields.map(\.json))),
        ]
        if !emptyContainers.isEmpty { members.append(("empty_containers", .array(emptyContainers.map(\.json)))) }
        members.append(("output", .object([("name", .string(output.name)), ("bytes", .int(output.bytes)), ("blake2b512", .string(output.blake2b512))])))
        return .object(members)
    }
}
