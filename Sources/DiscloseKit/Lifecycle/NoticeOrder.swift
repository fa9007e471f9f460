/// What a request says about telling the user (request member `notice`): notice allowed,
/// or delayed or prohibited until a date by an order (a non-disclosure or "gag" order,
/// e.g. 18 U.S.C. § 2705(b); under the EU e-Evidence Regulation Art. 13 the issuing
/// authority may ask the provider not to inform the person). Recorded in the audit log
/// (`received` and `planned` entries, fact `notice`), never in a plan or a bundle.
public struct NoticeOrder: Sendable, Equatable {
    /// What the request allows.
    public enum Kind: String, Sendable {
        /// The provider may notify the user.
        case allowed
        /// Notice is to be delayed until `until` (the order may later be extended).
        case delayed
        /// A non-disclosure order forbids notice until `until`.
        case prohibited
    }
    /// What the request allows.
    public var kind: Kind
    /// The end of the delay or prohibition.
    public var until: Instant?
    /// The order's reference (docket number).
    public var reference: String?

    /// True for an order that delays or forbids notice (counted in the report).
    public var isOrder: Bool { kind != .allowed }

    /// A notice order.
    public init(kind: Kind, until: Instant?, reference: String?) { self.kind = kind; self.until = until; self.reference = reference }

    /// Reads the request member `notice`: exactly one of `"allowed": true`,
    /// `"delayed_until": DATE`, `"prohibited_until": DATE`; `order_reference` is required
    /// with a date. A plain date is a calendar day in the authority's time zone, and the
    /// delay or prohibition lasts through its end (fail closed).
    static func parse(_ top: inout DocumentFields, zone: Request.Zone) throws -> NoticeOrder? {
        guard var f = try top.optionalObject("notice") else { return nil }
        let allowed = try f.bool("allowed", default: false)
        let delayed = try zone.optionalTime(&f, "delayed_until", .end)
        let prohibited = try zone.optionalTime(&f, "prohibited_until", .end)
        let reference = try f.optionalString("order_reference")
        try f.finish()
        let given = [allowed, delayed != nil, prohibited != nil].filter { $0 }.count
        guard given == 1 else {
            throw f.fail("give exactly one of \"allowed\": true, \"delayed_until\": DATE or \"prohibited_until\": DATE",
                         hint: "for example \"notice\": {\"prohibited_until\": \"2027-06-01\", \"order_reference\": \"18 U.S.C. 2705(b) order 26-MJ-1234\"}")
        }
        if allowed {
            guard reference == nil else { throw f.fail("order_reference", nil, "an order reference goes with delayed_until or prohibited_until") }
            return NoticeOrder(kind: .allowed, until: nil, reference: nil)
        }
        guard let reference, !reference.isEmpty else {
            throw f.fail("order_reference", nil, "a delay or prohibition of notice needs the order's reference", hint: "add \"order_reference\": \"…\"")
        }
        return NoticeOrder(kind: delayed != nil ? .delayed : .prohibited, until: delayed ?? prohibited, reference: reference)
    }

    /// The audit fact (`notice`).
    var fact: JSONOutput {
        .object([("kind", .string(kind.rawValue)), ("until", .optional(until?.description)), ("order_reference", .optional(reference))])
    }

    /// Reads the `notice` fact of an audit entry, nil when absent.
    init?(facts e: AuditEntry) {
        guard let n = e.value(.notice), let k = n["kind"]?.string.flatMap(Kind.init(rawValue:)) else { return nil }
        self.init(kind: k, until: n["until"]?.string.flatMap(TimeParsing.parseDate), reference: n["order_reference"]?.string)
    }
}
