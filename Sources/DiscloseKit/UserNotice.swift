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
    /// with a date.
    static func parse(_ top: inout DocumentFields) throws -> NoticeOrder? {
        guard var f = try top.optionalObject("notice") else { return nil }
        let allowed = try f.bool("allowed", default: false)
        let delayed = try Request.optionalTime(&f, "delayed_until")
        let prohibited = try Request.optionalTime(&f, "prohibited_until")
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
        guard let n = e.node["notice"], let k = n["kind"]?.string.flatMap(Kind.init(rawValue:)) else { return nil }
        self.init(kind: k, until: n["until"]?.string.flatMap(TimeParsing.parseDate), reference: n["order_reference"]?.string)
    }
}

/// The provider's default for user notice (policy member `user_notice`): notify before
/// disclosure unless an order forbids it; within `daysAfterOrder` days after a delay or
/// prohibition ends; after an emergency disclosure, within `daysAfterEmergency` days of
/// the emergency passing (the follow-up legal process arriving, or its deadline).
public struct UserNoticePolicy: Sendable, Equatable {
    /// Notify the user before disclosing when no order forbids it.
    public var beforeDisclosure = true
    /// Days after a delay or prohibition ends within which notice is due.
    public var daysAfterOrder = 7
    /// Days after an emergency passes within which notice is due.
    public var daysAfterEmergency = 7

    /// The built-in default (used for a request with a `notice` member when the policy has no `user_notice`).
    public init() {}

    /// Reads policy member `user_notice`.
    static func parse(_ top: inout DocumentFields) throws -> UserNoticePolicy? {
        guard var f = try top.optionalObject("user_notice") else { return nil }
        var p = UserNoticePolicy()
        p.beforeDisclosure = try f.bool("before_disclosure", default: true)
        p.daysAfterOrder = try f.optionalInt("days_after_order", range: 0...3660) ?? p.daysAfterOrder
        p.daysAfterEmergency = try f.optionalInt("days_after_emergency", range: 0...3660) ?? p.daysAfterEmergency
        try f.finish()
        return p
    }
}

/// Where a case stands on telling the user, as `status` shows it.
public struct NoticeStatus: Sendable, Equatable {
    /// The state.
    public enum State: String, Sendable {
        /// Notice is due (by `due`, or before disclosure when `due` is nil).
        case due
        /// An order delays or forbids notice until `until`.
        case prohibited
        /// An emergency disclosure: notice waits until the emergency passes (`until`).
        case emergency
        /// The user was told (`given`).
        case given
        /// The policy does not notify, or nothing was disclosed.
        case notRequired = "not_required"
    }
    /// The state.
    public var state: State
    /// The order's kind (`allowed`, `delayed`, `prohibited`) when the request said.
    public var order: NoticeOrder?
    /// Notice is not allowed before this instant.
    public var until: Instant?
    /// Notice is due by this instant (nil: before disclosure, which has not happened yet).
    public var due: Instant?
    /// When the user was told.
    public var given: Instant?

    /// True when notice is due and its deadline has passed.
    public func overdue(at now: Instant) -> Bool { state == .due && (due.map { $0 < now } ?? false) }

    /// True when it needs someone's attention (shown in `status` even for an answered case).
    public var pending: Bool { [.due, .prohibited, .emergency].contains(state) }

    /// As JSON (`status --json`, member `notice`).
    public func json(at now: Instant) -> JSONOutput {
        .object([("state", .string(state.rawValue)), ("order", .optional(order?.kind.rawValue)),
                 ("order_reference", .optional(order?.reference)), ("until", .optional(until?.description)),
                 ("due", .optional(due?.description)), ("due_before_disclosure", .bool(state == .due && due == nil)),
                 ("overdue", .bool(overdue(at: now))), ("given", .optional(given?.description))])
    }
}

/// Computes the notice state of cases and records that the user was told.
public enum UserNotice {
    /// The audit facts of a request's notice (empty when the request says nothing).
    public static func facts(_ request: Request) -> [(String, JSONOutput)] {
        request.notice.map { [("notice", $0.fact)] } ?? []
    }

    /// The notice state of `h`, nil when not tracked: preservations, and cases whose
    /// request says nothing about notice under a policy without `user_notice`.
    public static func status(_ h: CaseHistory, policy: Policy, now: Instant) -> NoticeStatus? {
        guard !h.preservation, policy.userNotice != nil || h.notice != nil else { return nil }
        let rule = policy.userNotice ?? UserNoticePolicy()
        let order = h.notice
        var s = NoticeStatus(state: .notRequired, order: order)
        if let given = h.notified { s.state = .given; s.given = given.time; return s }
        // Refused or answered "no data": nothing was disclosed, so there is nothing to tell.
        if h.disclosed == nil && [.refused, .noData, .closed].contains(h.state) { s.until = order?.until; return s }
        if let o = order, o.isOrder, let until = o.until {
            s.until = until
            s.due = until.advanced(bySeconds: rule.daysAfterOrder * 86_400)
            s.state = now < until ? .prohibited : .due
            return s
        }
        if h.emergency {
            let passes = h.followUpReceived?.time ?? h.followUpDue
                ?? h.received.map { $0.advanced(bySeconds: policy.emergency.followUpHours * 3600) }
            s.until = passes
            s.due = passes?.advanced(bySeconds: rule.daysAfterEmergency * 86_400)
            s.state = passes.map { now < $0 } ?? false ? .emergency : .due
            return s
        }
        guard rule.beforeDisclosure else { return s }   // "allowed" permits notice; the policy decides to give it
        s.state = .due
        s.due = h.disclosed?.time
        return s
    }

    /// Records that the user was told (`user_notified`). Refuses an unknown, closed or
    /// voided case, and one whose notice is still delayed or prohibited by an order.
    public static func recordNotified(log: AuditLog, caseID: String, note: String?, now: Instant = .now) throws {
        guard let h = try CaseLedger.load(log).first(where: { $0.id == caseID }) else {
            throw Refusal("no case \(caseID) in the audit log", hint: "disclose status --all lists the cases")
        }
        if h.voided != nil { throw Refusal("case \(caseID) was voided") }
        if let t = h.notified { throw Refusal("the user of case \(caseID) was already recorded as notified (\(t.time))") }
        if let o = h.notice, o.isOrder, let until = o.until, now < until {
            throw Refusal("notice in case \(caseID) is \(o.kind.rawValue) until \(until) by order \(o.reference ?? "?"); it cannot be given before then",
                          hint: "disclose status shows when notice becomes due")
        }
        try log.append(event: CaseEvent.userNotified.rawValue, caseID: caseID, time: now, facts: [
            ("reference", .optional(note)), ("order", .optional(h.notice?.kind.rawValue)),
        ])
    }
}
