import Primitives
/// Computes the notice state of cases and records that the user was told.
public enum UserNotice {
    /// The audit facts of a request's notice (empty when the request says nothing).
    public static func facts(_ request: Request) -> [(AuditFact, JSONOutput)] {
        request.notice.map { [(.notice, $0.fact)] } ?? []
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
            throw Refusal("no case \(caseID) in the audit log", hint: "list the cases with:", next: .status(all: true))
        }
        if h.voided != nil { throw Refusal("case \(caseID) was voided") }
        if let t = h.notified { throw Refusal("the user of case \(caseID) was already recorded as notified (\(t.time))") }
        if let o = h.notice, o.isOrder, let until = o.until, now < until {
            throw Refusal("notice in case \(caseID) is \(o.kind.rawValue) until \(until) by order \(o.reference ?? "?"); it cannot be given before then",
                          hint: "see when notice becomes due with:", next: .status())
        }
        try log.record(.userNotified, caseID: caseID, time: now, facts: [
            (.reference, .optional(note)), (.order, .optional(h.notice?.kind.rawValue)),
        ])
    }
}
