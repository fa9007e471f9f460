import Testing
@testable import DiscloseKit

/// The one approval rule export and verify apply (`Policy.ApprovalRule.unmet(by:)`), and
/// how the audit log's decisions stand (`LoggedDecision.standing`).
@Suite struct ApprovalRuleTests {
    let rule = Policy.ApprovalRule(count: 2, roles: ["legal", "privacy"])

    func d(_ key: String, _ role: String, _ verdict: Approval.Verdict, entry: Int? = nil) -> ReviewerDecision {
        ReviewerDecision(keyID: key, name: "R\(key)", role: role, verdict: verdict, time: nil, reason: verdict == .reject ? "no" : nil, auditEntry: entry)
    }

    @Test func twoRolesApprovingSatisfyIt() {
        #expect(rule.unmet(by: [d("A", "legal", .approve), d("B", "privacy", .approve)]).isEmpty)
    }

    @Test func anyRejectionBlocksEvenWithEnoughApprovals() {
        let unmet = rule.unmet(by: [d("A", "legal", .approve), d("B", "privacy", .approve), d("C", "privacy", .reject, entry: 3)])
        #expect(unmet == ["rejected by RC (privacy, key C), recorded in the audit log (entry 3) although its signature file was not presented: no"])
    }

    @Test func aKeyCountsOnceAndARejectingKeyNeverApproves() {
        #expect(rule.unmet(by: [d("A", "legal", .approve), d("A", "legal", .approve)]).contains("1 valid approval(s); the policy requires 2"))
        let unmet = rule.unmet(by: [d("A", "legal", .approve), d("B", "privacy", .approve), d("B", "privacy", .reject)])
        #expect(unmet.contains("1 valid approval(s); the policy requires 2"))
        #expect(unmet.contains("no approval by a reviewer with role 'privacy'"))
    }

    @Test func loggedRejectionStandsUntilExplicitlyReplaced() throws {
        func entry(_ seq: Int, _ event: String, _ key: String) throws -> AuditEntry {
            let line = #"{"seq":\#(seq),"time":"2026-11-15T10:00:0\#(seq)Z","event":"\#(event)","case":"C","plan_sha512":"P","key_id":"\#(key)"}"#
            let node = try DocumentJSON.parse(Array(line.utf8), file: "log")
            return AuditEntry(sequence: seq, time: Instant(nanoseconds: Int64(seq)), event: event, caseID: "C", node: node)
        }
        let unreplaced = try [entry(1, "rejected", "K"), entry(2, "approved", "K")]
        #expect(LoggedDecision.standing(onPlan: "P", in: unreplaced).map(\.verdict) == [.reject])
        let replaced = try [entry(1, "rejected", "K"), entry(2, "decision_replaced", "K"), entry(3, "approved", "K")]
        #expect(LoggedDecision.standing(onPlan: "P", in: replaced).map(\.verdict) == [.approve])
        #expect(LoggedDecision.standing(onPlan: "Q", in: replaced).isEmpty, "another plan's decisions do not count")
    }
}
