import Minisign

/// Where a case's review stands against the policy, for `status`: the approvals of the
/// latest plan by role, the rejections (a veto binds), approvals by keys the policy does
/// not know (shown, never counted), what is still required — and the next command.
public struct ApprovalProgress: Sendable {
    /// One review of the latest plan.
    public struct Review: Sendable, Equatable {
        /// The reviewer's key id.
        public var keyID: String
        /// Their role in the policy; nil for a key the policy does not know.
        public var role: String?
    }
    /// The approvals required (from the `planned` entry, else the policy's rule).
    public var rule: Policy.ApprovalRule
    /// Approvals of the latest plan by keys the policy knows, one per key.
    public var approvals: [Review]
    /// Approvals of the latest plan by keys the policy does not know: shown, not counted.
    public var unknown: [Review]
    /// Rejections of the latest plan (known or not: a veto binds).
    public var rejections: [Review]
    /// Roles still missing among the approvals.
    public var missingRoles: [String]
    /// Approvals still missing in number.
    public var missingCount: Int

    /// True when the approvals meet the rule and nobody rejected the plan.
    public var satisfied: Bool { rejections.isEmpty && missingCount == 0 && missingRoles.isEmpty }

    /// The progress of `h`'s latest plan, nil when no plan was recorded.
    public static func of(_ h: CaseHistory, policy: Policy) -> ApprovalProgress? {
        guard let plan = h.lastPlanSHA512 else { return nil }
        var roles: [String: String] = [:]
        for a in policy.approvers {
            if let key = try? PublicKey(base64: a.publicKey) { roles[key.keyIDString] = a.role }
        }
        let rule = h.approvalsRequired ?? (h.emergency ? policy.emergency.approvals : policy.approvals)
        var approvals: [Review] = [], unknown: [Review] = [], rejections: [Review] = []
        for r in h.reviews where r.planSHA512 == plan {
            let review = Review(keyID: r.keyID, role: roles[r.keyID])
            if r.event == CaseEvent.rejected.rawValue {
                if !rejections.contains(review) { rejections.append(review) }
            } else if review.role == nil {
                if !unknown.contains(review) { unknown.append(review) }
            } else if !approvals.contains(review) {
                approvals.append(review)
            }
        }
        let present = approvals.compactMap(\.role)
        return ApprovalProgress(rule: rule, approvals: approvals, unknown: unknown, rejections: rejections,
                                missingRoles: rule.roles.filter { !present.contains($0) },
                                missingCount: max(0, rule.count - approvals.count))
    }

    /// As JSON (`status --json`, member `approvals`).
    public var json: JSONOutput {
        func list(_ r: [Review]) -> JSONOutput { .array(r.map { .object([("key_id", .string($0.keyID)), ("role", .optional($0.role))]) }) }
        return .object([("required", .object([("count", .int(rule.count)), ("roles", .array(rule.roles.map { .string($0) }))])),
                        ("approved", list(approvals)), ("unknown_keys", list(unknown)), ("rejected", list(rejections)),
                        ("missing_count", .int(missingCount)), ("missing_roles", .array(missingRoles.map { .string($0) })),
                        ("satisfied", .bool(satisfied))])
    }

    /// What is still required, in words ("1 more approval, role privacy"), nil when nothing is.
    public var missingText: String? {
        guard !satisfied else { return nil }
        if !rejections.isEmpty { return "rejected by \(rejections.map { "\($0.role ?? "unknown key") \($0.keyID)" }.joined(separator: ", ")): a new plan is needed" }
        var parts: [String] = []
        if missingCount > 0 { parts.append("\(missingCount) more approval\(missingCount == 1 ? "" : "s")") }
        if !missingRoles.isEmpty { parts.append("role\(missingRoles.count == 1 ? "" : "s") \(missingRoles.joined(separator: ", "))") }
        return parts.joined(separator: ", including ")
    }
}
