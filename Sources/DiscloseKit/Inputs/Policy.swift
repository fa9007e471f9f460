/// The provider's rules: which legal instruments reach which categories, who must
/// approve, whose keys are trusted, which authorities are known and how to encrypt to
/// them. Provider-owned; its digest is bound into every plan.
public struct Policy: Sendable {
    /// What one kind of legal instrument may obtain.
    public struct Instrument: Sendable {
        /// Identifier used by requests (e.g. `us_subpoena`).
        public var type: String
        /// Human-readable name.
        public var label: String
        /// Jurisdiction code (`US`, `EU`, …), for reports.
        public var jurisdiction: String
        /// Categories available to this instrument, whoever issued it (may be empty
        /// when `issuerRules` decide).
        public var categories: Set<DataCategory>
        /// Categories by issuer role (e.g. EU: prosecutor → subscriber and
        /// identification; judge → all four). When present, the issuer role must match one.
        public var issuerRules: [IssuerRule]
        /// The legal basis cited in plans and the redaction log.
        public var basis: String
        /// True for emergency disclosure without prior legal process.
        public var emergency: Bool
        /// True when this instrument may obtain third-party identifiers unredacted if the
        /// request asks for them.
        public var thirdPartiesUnredacted: Bool
        /// True when asking for a category the instrument cannot reach makes the whole
        /// request defective (refused outright) rather than narrowing it.
        public var refuseWholeOnExcess: Bool
        /// Preservation terms when this is a preservation instrument (US 2703(f), EU
        /// European Preservation Order): nothing is disclosed, the scoped records are
        /// sealed to the provider's escrow recipients (`disclose preserve`).
        public var preservation: PreservationTerms? = nil
        /// Hours within which the provider must answer (EU e-Evidence: 240, emergency 8);
        /// nil when the policy states none (`disclose status` shows the deadline).
        public var responseHours: Int? = nil
    }

    /// How long a preservation lasts and how far it may be extended (once).
    public struct PreservationTerms: Sendable, Equatable {
        /// Days the sealed records are kept (US 2703(f): 90; EU EPOC-PR: 60).
        public var days: Int
        /// Days one extension adds (US: 90, renewable once; EU: 30); 0 when none.
        public var extensionDays: Int
    }

    /// Categories for instruments issued by given roles.
    public struct IssuerRule: Sendable {
        /// Issuer roles this rule applies to (`prosecutor`, `judge`, …).
        public var roles: Set<String>
        /// Categories they may order.
        public var categories: Set<DataCategory>
        /// Why, cited when a category is refused.
        public var note: String?
    }

    /// How many approvals, and which roles must be among them.
    public struct ApprovalRule: Sendable, Equatable {
        /// Distinct approver keys required.
        public var count: Int
        /// Roles that must each be represented.
        public var roles: [String]
    }

    /// A reviewer whose signature counts as an approval.
    public struct Approver: Sendable {
        /// Name, for reports.
        public var name: String
        /// Role (`legal`, `privacy`, …); comes from here, never from the signer.
        public var role: String
        /// minisign public key (`RW…` base64).
        public var publicKey: String
    }

    /// A known requesting authority.
    public struct Authority: Sendable {
        /// Identifier used by requests.
        public var id: String
        /// Name.
        public var name: String
        /// ISO 3166 country code, for the transparency report.
        public var country: String
        /// age recipients (`age1…`) that bundles for this authority are encrypted to.
        public var recipients: [String]
        /// The authority's HI-1 endpoint (`hi1_sender`): an ETSI TS 103 120 message whose
        /// SenderIdentifier equals it is this authority's.
        public var hi1Sender: HI1Request.Endpoint? = nil
        /// The IANA time zone where the authority is (`time_zone`): its requests' plain
        /// dates are calendar days there (`LegalTime`). Without it, a request with a plain
        /// date is refused.
        public var timeZone: String? = nil
    }

    /// Rules for emergency requests.
    public struct EmergencyRule: Sendable {
        /// Approvals needed (typically fewer than normal).
        public var approvals: ApprovalRule
        /// Whether the request must carry a call-back attestation.
        public var requiresAttestation: Bool
        /// Hours within which follow-up legal process must arrive.
        public var followUpHours: Int
    }

    /// Instruments by type.
    public var instruments: [String: Instrument]
    /// Normal approval rule.
    public var approvals: ApprovalRule
    /// Trusted approvers.
    public var approvers: [Approver]
    /// Known authorities by id.
    public var authorities: [String: Authority]
    /// Extra recipients every bundle is also encrypted to (the provider's escrow).
    public var escrowRecipients: [String]
    /// Longest allowed request window, in days.
    public var maxWindowDays: Int
    /// Default redaction for third-party values.
    public var thirdPartyRedaction: FieldAction
    /// Emergency rules.
    public var emergency: EmergencyRule
    /// This provider's HI-1 endpoint (`hi1_receiver`): HI-1 messages must be addressed to it.
    public var hi1Receiver: HI1Request.Endpoint? = nil
    /// HI-1 AuthorisationLegalType (`Owner/Value`) → instrument type (`hi1_legal_types`).
    public var hi1LegalTypes: [String: String] = [:]
    /// The provider's default for telling users (`user_notice`); nil when not stated.
    public var userNotice: UserNoticePolicy? = nil
    /// Who certifies bundles and in which words (`custodian`); the FRE 902 default when nil.
    public var custodian: CustodianCertificate.Custodian? = nil
    /// Refusal ground (a check name, `category not granted`, `no data`, `reviewer
    /// rejection`) → Form 3 family (`hi1_refusal_reasons`); overrides `HI1ReasonMap.defaults`.
    public var hi1RefusalReasons: [String: HI1RefusalReason] = [:]
}

extension Policy {
    /// Loads and validates a policy file.
    public static func load(path: String) throws -> Policy {
        try parse(DocumentJSON.load(path: path), file: path)
    }

    /// Validates a parsed policy document.
    public static func parse(_ root: DocumentJSON.Node, file: String) throws -> Policy {
        var top = try DocumentFields(root, file: file)
        var instruments: [String: Instrument] = [:]
        for (type, var f) in try top.map("instruments") {
            let label = try f.string("label")
            let jurisdiction = try f.string("jurisdiction")
            let categories = try categorySet(&f, "categories", optional: true)
            var rules: [IssuerRule] = []
            for var r in try f.optionalObjects("issuer_rules") {
                let roles = Set(try r.stringArray("issuer_roles"))
                let cats = try categorySet(&r, "categories", optional: false)
                let note = try r.optionalString("note")
                try r.finish()
                rules.append(IssuerRule(roles: roles, categories: cats, note: note))
            }
            let basis = try f.string("basis")
            let emergency = try f.bool("emergency", default: false)
            let tp = try f.bool("third_parties_unredacted", default: false)
            let whole = try f.bool("refuse_whole_request_on_excess", default: false)
            let preserves = try f.bool("preservation", default: false)
            let preservationDays = try f.optionalInt("preservation_days", range: 1...3660)
            let extensionDays = try f.optionalInt("extension_days", range: 0...3660)
            let responseHours = try f.optionalInt("response_hours", range: 1...24 * 3660)
            try f.finish()
            if preserves != (preservationDays != nil) || (!preserves && extensionDays != nil) {
                throw f.fail("a preservation instrument gives \"preservation\": true with preservation_days (and optionally extension_days); others give neither")
            }
            if categories.isEmpty && rules.isEmpty {
                throw f.fail("give 'categories' or 'issuer_rules' (an instrument that reaches nothing is a mistake)")
            }
            instruments[type] = Instrument(type: type, label: label, jurisdiction: jurisdiction, categories: categories,
                                           issuerRules: rules, basis: basis, emergency: emergency, thirdPartiesUnredacted: tp, refuseWholeOnExcess: whole,
                                           preservation: preservationDays.map { PreservationTerms(days: $0, extensionDays: extensionDays ?? 0) },
                                           responseHours: responseHours)
        }
        var ap = try top.object("approvals")
        let approvals = try approvalRule(&ap)
        var approvers: [Approver] = []
        for var a in try top.objects("approvers") {
            let name = try a.string("name")
            let role = try a.string("role")
            let key = try a.string("public_key")
            guard key.utf8.count == 56, key.hasPrefix("RW") else {
                throw a.fail("public_key", nil, "expected a minisign public key (56 characters starting with RW)")
            }
            try a.finish()
            approvers.append(Approver(name: name, role: role, publicKey: key))
        }
        var authorities: [String: Authority] = [:]
        for var a in try top.objects("authorities") {
            let id = try a.string("id")
            let name = try a.string("name")
            let country = try a.string("country")
            guard country.utf8.count == 2, country.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
                throw a.fail("country", nil, "expected a two-letter ISO 3166 code in capitals")
            }
            let recipients = try a.stringArray("recipients")
            for r in recipients where !r.hasPrefix("age1") {
                throw a.fail("recipients", nil, "expected age recipients (age1…)")
            }
            let sender = try hi1Endpoint(&a, "hi1_sender")
            let zone = try a.optionalString("time_zone")
            if let zone, LegalTime.zone(named: zone) == nil {
                throw a.fail("time_zone", nil, "unknown time zone '\(zone)': expected an IANA time zone name",
                             hint: "for example Europe/Paris, America/New_York or UTC (abbreviations such as EST are not zones)")
            }
            try a.finish()
            guard authorities[id] == nil else { throw a.fail("id", nil, "duplicate authority id '\(id)'") }
            if let sender, authorities.values.contains(where: { $0.hi1Sender == sender }) {
                throw a.fail("hi1_sender", nil, "two authorities share the HI-1 sender \(sender)")
            }
            authorities[id] = Authority(id: id, name: name, country: country, recipients: recipients, hi1Sender: sender, timeZone: zone)
        }
        let escrow = try top.optionalStringArray("escrow_recipients") ?? []
        let maxWindow = try top.int("max_window_days", range: 1...3660)
        var redaction = FieldAction.pseudonymize
        if top.raw("third_party_redaction") != nil {
            redaction = try top.choice("third_party_redaction", as: FieldAction.self)
            guard redaction != .disclose else {
                throw top.fail("third_party_redaction", nil, "the default for third parties cannot be 'disclose'")
            }
        }
        var em = try top.object("emergency")
        var emAp = try em.object("approvals")
        let emergencyApprovals = try approvalRule(&emAp)
        let attestation = try em.bool("requires_attestation", default: true)
        let followUp = try em.int("follow_up_hours", range: 1...24 * 90)
        try em.finish()
        let receiver = try hi1Endpoint(&top, "hi1_receiver")
        var legalTypes: [String: String] = [:]
        if let node = top.raw("hi1_legal_types") {
            guard case .object(let members) = node.value else { throw top.fail("hi1_legal_types", node, "expected an object: \"Owner/Value\": \"instrument type\"") }
            for (key, value) in members {
                guard let type = value.string, instruments[type] != nil else {
                    throw top.fail("hi1_legal_types.\(key)", value, "expected the name of one of the policy's instrument types")
                }
                legalTypes[key] = type
            }
        }
        let userNotice = try UserNoticePolicy.parse(&top)
        let custodian = try CustodianCertificate.Custodian.parse(&top)
        var refusalReasons: [String: HI1RefusalReason] = [:]
        if let node = top.raw("hi1_refusal_reasons") {
            guard case .object(let members) = node.value else {
                throw top.fail("hi1_refusal_reasons", node, "expected an object: \"check name\": \"reason\"")
            }
            for (key, value) in members {
                guard HI1ReasonMap.defaults[key] != nil else {
                    throw top.fail("hi1_refusal_reasons.\(key)", value, "not a refusal ground (known: \(HI1ReasonMap.defaults.keys.sorted().joined(separator: ", ")))")
                }
                guard let r = value.string.flatMap(HI1RefusalReason.init(rawValue:)) else {
                    throw top.fail("hi1_refusal_reasons.\(key)", value, "expected one of \(HI1RefusalReason.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                refusalReasons[key] = r
            }
        }
        try top.finish()
        var policy = Policy(instruments: instruments, approvals: approvals, approvers: approvers, authorities: authorities,
                      escrowRecipients: escrow, maxWindowDays: maxWindow, thirdPartyRedaction: redaction,
                      emergency: EmergencyRule(approvals: emergencyApprovals, requiresAttestation: attestation, followUpHours: followUp),
                      hi1Receiver: receiver, hi1LegalTypes: legalTypes, userNotice: userNotice, custodian: custodian)
        policy.hi1RefusalReasons = refusalReasons
        return policy
    }

    /// An optional HI-1 endpoint `{"country_code": "FR", "unique_identifier": "…"}`.
    private static func hi1Endpoint(_ f: inout DocumentFields, _ key: String) throws -> HI1Request.Endpoint? {
        guard var e = try f.optionalObject(key) else { return nil }
        let cc = try e.string("country_code")
        guard cc.utf8.count == 2, cc.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
            throw e.fail("country_code", nil, "expected a two-letter ISO 3166 code in capitals")
        }
        let endpoint = HI1Request.Endpoint(countryCode: cc, uniqueIdentifier: try e.string("unique_identifier"))
        try e.finish()
        return endpoint
    }

    private static func approvalRule(_ f: inout DocumentFields) throws -> ApprovalRule {
        let count = try f.int("count", range: 1...16)
        let roles = try f.optionalStringArray("roles") ?? []
        try f.finish()
        guard roles.count <= count else { throw f.fail("more required roles than required approvals") }
        return ApprovalRule(count: count, roles: roles)
    }

    private static func categorySet(_ f: inout DocumentFields, _ key: String, optional: Bool) throws -> Set<DataCategory> {
        guard let nodes = optional ? try f.optionalArray(key) : try f.array(key) else { return [] }
        var out = Set<DataCategory>()
        for (i, n) in nodes.enumerated() {
            let c = try f.choiceValue("\(key)[\(i)]", n, as: DataCategory.self)
            guard c != .never else { throw f.fail("\(key)[\(i)]", n, "'never' cannot be granted to any instrument") }
            out.insert(c)
        }
        return out
    }
}
