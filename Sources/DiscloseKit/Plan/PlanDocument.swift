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
        let f = outcome.files
        let r = f.request
        let d = outcome.decision
        var members: [(String, JSONOutput)] = [
            ("format", .string(format)),
        ]
        if practice { members.append(("practice", .bool(true))) }
        members += [
            ("request", .object([
                ("id", .string(r.id)),
                ("received", .string(r.received.description)),
                ("authority", .string(r.authority)),
                ("authority_country", .optional(d.authority?.country)),
                ("instrument", .object([
                    ("type", .string(r.instrument.type)),
                    ("reference", .string(r.instrument.reference)),
                    ("issuer_role", .string(r.instrument.issuerRole)),
                    ("issued", .string(r.instrument.issued.description)),
                    ("expires", .optional(r.instrument.expires?.description)),
                    ("jurisdiction", .optional(d.instrument?.jurisdiction)),
                    ("legal_basis", .string(d.legalBasis)),
                ])),
                ("emergency", .bool(r.emergency != nil)),
                ("window", WindowDisplay.json(r)),
                ("categories_requested", .array(r.categories.sorted().map { .string($0.rawValue) })),
            ])),
            ("inputs", .object([
                ("request_file", .string(f.requestReference)),
                ("request_sha512", .string(f.requestDigest)),
                ("data_map_sha512", .string(f.dataMapDigest)),
                ("policy_sha512", .string(f.policyDigest)),
                ("case_nonce", .string(outcome.caseNonce)),
            ])),
            ("checks", .array(d.checks.map { .object([("check", .string($0.name)), ("outcome", .string($0.outcome.rawValue)), ("detail", .string($0.detail))]) })),
            ("verdict", .string(outcome.verdict.rawValue)),
            ("categories", .array(d.categories.map {
                .object([("category", .string($0.category.rawValue)), ("requested", .bool($0.requested)),
                         ("granted", .bool($0.granted)), ("reason", .string($0.reason))])
            })),
            ("approvals_required", .object([("count", .int(d.approvals.count)), ("roles", .array(d.approvals.roles.map { .string($0) }))])),
        ]
        members.append(("subjects", .array(outcome.subjects.map { s in
            .object([
                ("type", .string(s.subject.kind.rawValue)),
                ("value", .string(s.subject.value)),
                ("time", .optional(s.subject.time?.description)),
                ("accounts", .int(s.accounts.count)),
                ("accounts_sha512", .string(Hex.encode(SHA512.hash(Array(s.accounts.joined(separator: "\n").utf8))))),
                ("resolved_via", .array(s.via.map { .string($0) })),
                ("look_alikes", .object([("records", .int(s.lookAlikeRecords)), ("accounts", .int(s.lookAlikeAccounts))])),
            ])
        })))
        members.append(("datasets", .array(outcome.datasets.map(dataset))))
        return .object(members)
    }

    static func dataset(_ o: DatasetOutcome) -> JSONOutput {
        let s = o.statistics
        var members: [(String, JSONOutput)] = [
            ("name", .string(o.decision.dataset.name)),
            ("format", .string(o.decision.dataset.format.rawValue)),
            ("input_files", .array(o.inputFiles.map { .string($0) })),
            ("window_applies", .bool(o.decision.windowApplies)),
            ("records", .object([
                ("scanned", .int(s.recordsScanned)),
                ("of_subjects", .int(s.recordsForSubjects)),
                ("outside_window", .int(s.recordsOutsideWindow)),
                ("unparseable_time", .int(s.recordsWithUnparseableTime)),
                ("disclosed", .int(s.recordsDisclosed)),
            ])),
            ("fields", .array(o.decision.fields.map { fd in
                let counts = s.fieldActions[fd.path.description] ?? [:]
                return .object([
                    ("path", .string(fd.path.description)),
                    ("category", .string(fd.category.rawValue)),
                    ("third_party", .bool(fd.thirdParty)),
                    ("action", .string(fd.action.rawValue)),
                    ("reason", .string(fd.reason)),
                    ("values", .object(counts.keys.sorted().map { ($0, .int(counts[$0]!)) })),
                ])
            })),
            ("unmapped_fields", .array(s.unmappedFields.keys.sorted().map {
                .object([("path", .string($0)), ("action", "withhold"), ("reason", "not in the data map"), ("values", .int(s.unmappedFields[$0]!))])
            })),
        ]
        if !s.emptyContainers.isEmpty {
            // Only when there are some, so plans without empty containers keep their bytes.
            members.append(("empty_containers", .array(s.emptyContainers.keys.sorted().map {
                .object([("path", .string($0)), ("action", "keep"), ("reason", "empty in the record; a path below it may be disclosed"),
                         ("values", .int(s.emptyContainers[$0]!))])
            })))
        }
        members.append(("output", .object([
            ("name", .string(o.outputName)),
            ("bytes", .int(s.outputBytes)),
            ("blake2b512", .string(o.outputBLAKE2b512)),
        ])))
        return .object(members)
    }

    /// The exact bytes that reviewers sign.
    public static func bytes(_ outcome: CaseOutcome, practice: Bool = false) -> [UInt8] { Array(json(outcome, practice: practice).pretty.utf8) }
}

/// The digest that identifies a plan: approvals name it, export recomputes it.
public enum PlanDigest {
    /// Hex SHA-512 of the plan document bytes.
    public static func hex(_ document: [UInt8]) -> String { Hex.encode(SHA512.hash(document)) }
}
