/// A reviewer's decision on a plan as the audit log records it (`approved` / `rejected`
/// entries with `plan_sha512` and `key_id`). The log is consulted so that a veto binds
/// whether or not its signature file is presented next to the plan.
public struct LoggedDecision: Sendable, Equatable {
    /// The reviewer key id.
    public var keyID: String
    /// Approve or reject.
    public var verdict: Approval.Verdict
    /// When it was recorded.
    public var time: Instant
    /// Grounds of a rejection.
    public var reason: String?
    /// The entry's sequence number.
    public var sequence: Int

    /// The event that records a reviewer changing an earlier decision (`approve --replace`).
    public static let replacedEvent = "decision_replaced"
}

extension AuditLog {
    /// The decision in force for each key on the plan with digest `planDigest`, in order
    /// of first decision. A rejection stays in force until a `decision_replaced` entry of
    /// the same key and plan follows it (the explicit `approve --replace`): an approval
    /// logged after a rejection without one does not lift the veto. A missing log has none.
    public func decisions(onPlan planDigest: String) throws -> [LoggedDecision] {
        LoggedDecision.standing(onPlan: planDigest, in: try entries())
    }
}

extension LoggedDecision {
    /// `AuditLog.decisions(onPlan:)` over entries already read.
    public static func standing(onPlan planDigest: String, in entries: [AuditEntry]) -> [LoggedDecision] {
        var standing: [String: (decision: LoggedDecision, replaceable: Bool)] = [:]
        var order: [String] = []
        for e in entries where e.string(.planSHA512) == planDigest {
            guard let key = e.string(.keyID) else { continue }
            switch e.event {
            case LoggedDecision.replacedEvent:
                standing[key]?.replaceable = true
            case CaseEvent.approved.rawValue, CaseEvent.rejected.rawValue:
                let d = LoggedDecision(keyID: key, verdict: e.event == CaseEvent.approved.rawValue ? .approve : .reject,
                                       time: e.time, reason: e.string(.reason), sequence: e.sequence)
                if let s = standing[key], s.decision.verdict == .reject, !s.replaceable { continue }
                if standing[key] == nil { order.append(key) }
                standing[key] = (d, false)
            default:
                continue
            }
        }
        return order.compactMap { standing[$0]?.decision }
    }
}
