/// Derives each LDTask's outcome — ETSI status, Disclose's code, the reason in words and
/// its Form 3 family — from the plan document (the one that was approved), the policy's
/// reason map and a reviewer's rejection. The Disclose side of the HI-1 answer: the
/// message format itself is `HI1Answer`.
public enum HI1Outcomes {
    /// A reviewer's valid rejection of the plan: the role and the stated grounds.
    public struct Rejection: Sendable {
        /// The reviewer's role (from the policy; never the name).
        public var role: String
        /// The reviewer's `--reason` text.
        public var reason: String?
        /// Builds a rejection.
        public init(role: String, reason: String?) { self.role = role; self.reason = reason }
    }

    /// Each task's outcome. A rejection answers every task Rejected; a refused plan
    /// answers every task Rejected with the family of its first failed check; otherwise
    /// per task: categories beyond the instrument, no account, no record, or Disclosed.
    public static func outcomes(_ scopes: [HI1TaskScope], plan: PlanModel, policy: Policy?,
                                rejection: Rejection? = nil) -> [HI1TaskOutcome] {
        let verdict = plan.verdict
        let failed = plan.checks.filter { $0.outcome == PolicyCheck.Outcome.fail.rawValue }
        let failedNames = failed.map(\.check)
        var granted: [String: (Bool, String)] = [:]
        for c in plan.categories { granted[c.category] = (c.granted, c.reason) }
        var accounts: [String: Int] = [:]
        for s in plan.subjects { accounts["\(s.type)|\(s.value)|\(s.time ?? "")"] = s.accounts }
        return scopes.map { scope in
            func outcome(_ s: HI1TaskOutcome.Status, _ code: Int?, _ reason: String?, _ ground: String?) -> HI1TaskOutcome {
                HI1TaskOutcome(objectIdentifier: scope.task.objectIdentifier, reference: scope.task.reference, status: s, code: code,
                               reason: reason, refusal: ground.map { HI1ReasonMap.reason($0, policy: policy) })
            }
            if let rejection {
                let text = "rejected by the provider's reviewer (\(rejection.role))" + (rejection.reason.map { ": \($0)" } ?? "")
                return outcome(.rejected, HI1Answer.Code.refused, text, HI1ReasonMap.reviewerRejection)
            }
            if verdict == CaseOutcome.Verdict.refused.rawValue {
                let text = failed.isEmpty ? "refused by the provider's policy"
                    : failed.map { "\($0.check): \($0.detail)" }.joined(separator: "; ")
                return outcome(.rejected, HI1Answer.Code.refused, text, failedNames.first ?? "other")
            }
            let cats = scope.categories.sorted()
            if !cats.contains(where: { granted[$0.rawValue]?.0 == true }) {
                return outcome(.rejected, HI1Answer.Code.categoryRefused,
                               cats.map { granted[$0.rawValue]?.1 ?? "\($0.rawValue) not granted" }.joined(separator: "; "), HI1ReasonMap.categoryNotGranted)
            }
            let matched = scope.subjects.contains { accounts["\($0.kind.rawValue)|\($0.value)|\($0.time?.description ?? "")", default: 0] > 0 }
            if !matched { return outcome(.notAvailable, HI1Answer.Code.noData, "no account matches the task's identifiers", HI1ReasonMap.noData) }
            if verdict != CaseOutcome.Verdict.disclose.rawValue {
                return outcome(.notAvailable, HI1Answer.Code.noData, "no record of the task's subjects falls within the request", HI1ReasonMap.noData)
            }
            return outcome(.disclosed, nil, nil, nil)
        }
    }
}
