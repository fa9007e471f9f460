import Foundation

/// One lawful request, as the compliance officer records it: who asks, under which
/// instrument, about whom, for which period and which categories.
public struct Request: Sendable {
    /// The legal instrument the request rests on.
    public struct Instrument: Sendable {
        /// Instrument type; must be one of the policy's.
        public var type: String
        /// The authority's reference (docket, case number).
        public var reference: String
        /// Role of the issuer (`judge`, `prosecutor`, `investigating_judge`, `court`, `agent`, …).
        public var issuerRole: String
        /// When it was issued.
        public var issued: Instant
        /// When it stops being valid, if it says.
        public var expires: Instant?
    }

    /// One subject identifier as given in the request.
    public struct Subject: Sendable, Equatable {
        /// The identifier kind.
        public var kind: IdentifierKind
        /// The value as written.
        public var value: String
        /// Observation time (required for IP addresses).
        public var time: Instant?
    }

    /// The emergency declaration (threat to life or serious physical injury).
    public struct Emergency: Sendable {
        /// What the authority stated about the threat, as recorded.
        public var statement: String
        /// Who called the authority back on a known number, and when — the attestation
        /// that the request is genuine.
        public var callbackAttestation: String?
    }

    /// Request id (unique per case; becomes the bundle's External-Identifier).
    public var id: String
    /// When the provider received it.
    public var received: Instant
    /// Requesting authority id; must be known to the policy.
    public var authority: String
    /// The instrument.
    public var instrument: Instrument
    /// Subject identifiers.
    public var subjects: [Subject]
    /// Inclusive time window.
    public var window: ClosedRange<Instant>
    /// Requested categories.
    public var categories: Set<DataCategory>
    /// Optional narrowing to named fields, as `dataset:path` strings.
    public var fields: [String]?
    /// Whether the authority asks for third-party identifiers unredacted.
    public var thirdPartiesUnredacted: Bool
    /// Present for emergency requests.
    public var emergency: Emergency?
    /// What the request says about telling the user (see `NoticeOrder`); audit log only.
    public var notice: NoticeOrder? = nil
    /// The window's bounds as the request wrote them (plain dates or RFC 3339 text).
    public var windowAsSent: WindowText? = nil
    /// The IANA time zone its plain dates were read in: the authority's `time_zone` in
    /// the policy, when the authority has one.
    public var timeZone: String? = nil

    /// The text of a window's two bounds.
    public struct WindowText: Sendable, Equatable {
        /// Lower bound as written.
        public var from: String
        /// Upper bound as written.
        public var to: String
    }
}

extension Request {
    /// Loads and validates a request file (structure only; policy checks come later,
    /// in the decision code, so `plan` can report them). See `parse` for `policy`.
    public static func load(path: String, policy: Policy?) throws -> Request {
        try parse(DocumentJSON.load(path: path), file: path, policy: policy)
    }

    /// Validates a parsed request document. Plain dates (`YYYY-MM-DD`) are calendar days
    /// in the time zone of the request's authority in `policy` (`LegalTime`): `from`,
    /// `issued`, `received` and subject times the start of that day, `to` and `expires`
    /// its last instant. Without a policy, or for an authority without `time_zone`, a
    /// plain date is an input error naming the field (timestamps with an offset are fine).
    public static func parse(_ root: DocumentJSON.Node, file: String, policy: Policy? = nil) throws -> Request {
        var top = try DocumentFields(root, file: file)
        let id = try top.string("id")
        guard id.utf8.count <= 128, id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) else {
            throw top.fail("id", nil, "request ids are printable ASCII without spaces or '/', at most 128 characters")
        }
        let authority = try top.string("authority")
        let zone = Zone(authority: authority, policy: policy)
        let received = try zone.time(&top, "received", .start)
        var ins = try top.object("instrument")
        let instrument = Instrument(type: try ins.string("type"), reference: try ins.string("reference"),
                                    issuerRole: try ins.string("issuer_role"), issued: try zone.time(&ins, "issued", .start),
                                    expires: try zone.optionalTime(&ins, "expires", .end))
        try ins.finish()
        if let e = instrument.expires, e < instrument.issued {
            throw ins.fail("expires", nil, "expires before it was issued")
        }
        var subjects: [Subject] = []
        for var s in try top.objects("subjects") {
            let kind = try s.choice("type", as: IdentifierKind.self)
            let value = try s.string("value")
            let t = try zone.optionalTime(&s, "time", .start)
            if (kind == .ipv4 || kind == .ipv6) && t == nil {
                throw s.fail("time", nil, "an IP address identifies nobody without the time it was observed", hint: "add \"time\": \"2026-…Z\"")
            }
            try s.finish()
            subjects.append(Subject(kind: kind, value: value, time: t))
        }
        guard !subjects.isEmpty else { throw top.fail("subjects", nil, "at least one subject is required") }
        var w = try top.object("window")
        let from = try zone.time(&w, "from", .start), to = try zone.time(&w, "to", .end)
        let asSent = WindowText(from: w.raw("from")?.string ?? "", to: w.raw("to")?.string ?? "")
        try w.finish()
        guard from <= to else { throw w.fail("to", nil, "window ends before it starts (inverted window)") }
        var categories = Set<DataCategory>()
        for (i, n) in try top.array("categories").enumerated() {
            let c = try top.choiceValue("categories[\(i)]", n, as: DataCategory.self)
            guard c != .never else { throw top.fail("categories[\(i)]", n, "'never' is not a category that can be requested") }
            categories.insert(c)
        }
        guard !categories.isEmpty else { throw top.fail("categories", nil, "at least one category is required") }
        let fields = try top.optionalStringArray("fields")
        if let fields {
            for f in fields {
                let parts = f.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, FieldPath(parsing: String(parts[1])) != nil else {
                    throw top.fail("fields", nil, "'\(f)' is not of the form dataset:field.path")
                }
            }
        }
        let tp = try top.bool("third_parties_unredacted", default: false)
        var emergency: Emergency? = nil
        if var e = try top.optionalObject("emergency") {
            emergency = Emergency(statement: try e.string("statement"), callbackAttestation: try e.optionalString("callback_attestation"))
            try e.finish()
        }
        let notice = try NoticeOrder.parse(&top, zone: zone)
        try top.finish()
        return Request(id: id, received: received, authority: authority, instrument: instrument, subjects: subjects,
                       window: from...to, categories: categories, fields: fields, thirdPartiesUnredacted: tp, emergency: emergency,
                       notice: notice, windowAsSent: asSent, timeZone: zone.name)
    }

    /// The zone a request's plain dates are read in, and the reading of its time fields.
    struct Zone {
        let authority: String
        let policy: Policy?
        let name: String?
        let zone: TimeZone?

        init(authority: String, policy: Policy?) {
            self.authority = authority
            self.policy = policy
            name = policy?.authorities[authority]?.timeZone
            zone = name.flatMap(LegalTime.zone(named:))
        }

        func time(_ f: inout DocumentFields, _ key: String, _ bound: LegalTime.Bound) throws -> Instant {
            try value(f, key, try f.required(key), bound)
        }

        func optionalTime(_ f: inout DocumentFields, _ key: String, _ bound: LegalTime.Bound) throws -> Instant? {
            guard let n = f.raw(key) else { return nil }
            if case .null = n.value { return nil }
            return try value(f, key, n, bound)
        }

        private func value(_ f: DocumentFields, _ key: String, _ n: DocumentJSON.Node, _ bound: LegalTime.Bound) throws -> Instant {
            guard case .string(let s) = n.value else { throw f.fail(key, n, "expected a date or date-time string") }
            switch LegalTime.instant(s, bound: bound, zone: zone) {
            case .success(let t): return t
            case .failure(.malformed):
                throw f.fail(key, n, "not an RFC 3339 date-time or YYYY-MM-DD date", hint: "for example 2026-11-14T21:40:00+01:00")
            case .failure(.plainDateWithoutZone):
                let whose = policy == nil ? "no policy is at hand"
                    : policy?.authorities[authority] == nil ? "authority '\(authority)' is not in the policy"
                    : "authority '\(authority)' has no time_zone in the policy"
                throw f.fail(key, n, "the plain date \(s) is a calendar day, but \(whose): in which time zone does the day begin and end?",
                             hint: "add \"time_zone\" (an IANA name such as America/New_York) to the authority in the policy, or write a time with an offset, e.g. \(s)T00:00:00-05:00")
            }
        }
    }
}
