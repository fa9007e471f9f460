/// One reviewer's decision on one plan, wherever it was found: a signature file beside
/// the plan, an approval embedded in a bundle's `disclosure.json`, or a decision the
/// audit log recorded. The approval rule (`Policy.ApprovalRule.unmet(by:)`) takes these,
/// so export and verify apply the very same rule to whatever each of them can see.
public struct ReviewerDecision: Sendable {
    /// The reviewer key id (minisign display form).
    public var keyID: String
    /// The reviewer's name, for messages.
    public var name: String
    /// The reviewer's role (from the policy, or as the bundle declares it).
    public var role: String
    /// Approve or reject.
    public var verdict: Approval.Verdict
    /// When the reviewer decided, when known.
    public var time: Instant?
    /// Grounds of a rejection.
    public var reason: String?
    /// Set when the decision comes from the audit log alone (its signature file was not
    /// presented): the entry's sequence number, named in the refusal.
    public var auditEntry: Int?

    /// A decision.
    public init(keyID: String, name: String, role: String, verdict: Approval.Verdict, time: Instant?,
                reason: String?, auditEntry: Int? = nil) {
        self.keyID = keyID; self.name = name; self.role = role; self.verdict = verdict
        self.time = time; self.reason = reason; self.auditEntry = auditEntry
    }
}

extension Policy.ApprovalRule {
    /// The approval rule, the one that export and verify both apply: any rejection blocks
    /// (a veto binds), then at least `count` distinct keys must approve, every role in
    /// `roles` among them. A key that rejected never counts as approving, and a key
    /// counts once. Returns the unmet requirements, one readable line each; empty means
    /// the plan may be exported.
    public func unmet(by decisions: [ReviewerDecision]) -> [String] {
        var unmet: [String] = []
        var rejecting = Set<String>()
        for d in decisions where d.verdict == .reject && rejecting.insert(d.keyID).inserted {
            var line = "rejected by \(d.name) (\(d.role), key \(d.keyID))"
            if let t = d.time { line += " at \(t)" }
            if let n = d.auditEntry { line += ", recorded in the audit log (entry \(n)) although its signature file was not presented" }
            if let r = d.reason { line += ": \(r)" }
            unmet.append(line)
        }
        var counted = Set<String>()
        let approvals = decisions.filter { $0.verdict == .approve && !rejecting.contains($0.keyID) && counted.insert($0.keyID).inserted }
        if approvals.count < count {
            unmet.append("\(approvals.count) valid approval(s); the policy requires \(count)")
        }
        for role in roles where !approvals.contains(where: { $0.role == role }) {
            unmet.append("no approval by a reviewer with role '\(role)'")
        }
        return unmet
    }
}
