import Foundation
import Testing
@testable import DiscloseKit

/// `status`: deadlines per case (EU e-Evidence 10 days / 8 hours, emergency follow-up,
/// preservation expiry) and the urgency order, from a log written here.
@Suite struct StatusTests {
    static let policyJSON = """
    {
      "instruments": {
        "us_subpoena": {"label": "US subpoena", "jurisdiction": "US", "categories": ["subscriber"], "basis": "2703(c)(2)"},
        "us_emergency": {"label": "US emergency", "jurisdiction": "US", "categories": ["subscriber"], "basis": "2702(b)(8)", "emergency": true},
        "eu_production_order": {"label": "EPOC", "jurisdiction": "EU", "categories": ["subscriber"], "basis": "2023/1543"},
        "eu_emergency_production_order": {"label": "EPOC emergency", "jurisdiction": "EU", "categories": ["subscriber"], "basis": "2023/1543 Art. 10(4)", "emergency": true},
        "us_2703d_order": {"label": "2703(d)", "jurisdiction": "US", "categories": ["subscriber"], "basis": "2703(d)", "response_hours": 72},
        "us_preservation_2703f": {"label": "2703(f)", "jurisdiction": "US", "categories": ["subscriber"], "basis": "2703(f)",
                                  "preservation": true, "preservation_days": 90, "extension_days": 90}
      },
      "approvals": {"count": 1, "roles": []}, "approvers": [], "authorities": [],
      "max_window_days": 366,
      "emergency": {"approvals": {"count": 1, "roles": []}, "follow_up_hours": 48}
    }
    """

    static func t(_ s: String) -> Instant { TimeParsing.parseDate(s)! }
    static let now = t("2026-03-10T12:00:00Z")

    /// Writes the cases' events and returns the folded histories.
    static func histories(_ dir: String) throws -> [CaseHistory] {
        let log = AuditLog(path: dir + "/audit.jsonl")
        func add(_ event: String, _ id: String, _ time: String, _ facts: [(String, JSONOutput)] = []) throws {
            try log.append(event: event, caseID: id, time: t(time), facts: facts)
        }
        func received(_ id: String, _ instrument: String, _ at: String, emergency: Bool = false) throws {
            try add("received", id, at, [("country", "FR"), ("instrument", .string(instrument)), ("received", .string(at)), ("emergency", .bool(emergency))])
        }
        try received("A-eu-order", "eu_production_order", "2026-03-01T12:00:00Z")
        try received("B-eu-emergency", "eu_emergency_production_order", "2026-03-10T06:00:00Z", emergency: true)
        try received("C-us-emergency-overdue", "us_emergency", "2026-03-07T12:00:00Z", emergency: true)
        try add("exported", "C-us-emergency-overdue", "2026-03-07T12:20:00Z", [("verdict", "disclose")])
        try received("D-us-emergency-followed", "us_emergency", "2026-03-07T12:00:00Z", emergency: true)
        try add("exported", "D-us-emergency-followed", "2026-03-07T12:25:00Z", [("verdict", "disclose")])
        try add("follow_up_received", "D-us-emergency-followed", "2026-03-08T09:00:00Z", [("reference", "warrant 26-114")])
        try received("E-us-subpoena", "us_subpoena", "2026-02-01T12:00:00Z")
        try add("planned", "E-us-subpoena", "2026-02-01T13:00:00Z", [("verdict", "disclose")])
        try received("F-eu-closed", "eu_production_order", "2026-01-01T12:00:00Z")
        try add("closed", "F-eu-closed", "2026-01-02T12:00:00Z")
        try received("G-preserved", "us_preservation_2703f", "2026-03-01T10:00:00Z")
        try add("preserved", "G-preserved", "2026-03-01T11:00:00Z", [("preservation", true), ("until", "2026-05-30T11:00:00Z")])
        try add("preservation_extended", "G-preserved", "2026-05-01T11:00:00Z", [("until", "2026-08-28T11:00:00Z")])
        try received("H-eu-answered", "eu_production_order", "2026-03-09T12:00:00Z")
        try add("exported", "H-eu-answered", "2026-03-09T12:20:00Z", [("verdict", "disclose")])
        try received("I-us-emergency-explicit-due", "us_emergency", "2026-03-10T11:00:00Z", emergency: true)
        try add("follow_up_due", "I-us-emergency-explicit-due", "2026-03-10T11:00:01Z", [("due", "2026-03-10T13:00:00Z")])
        try received("J-2703d", "us_2703d_order", "2026-03-09T00:00:00Z")
        #expect(try log.verify().problem == nil)
        return try CaseLedger.load(log)
    }

    @Test func deadlinesAndUrgencyOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-status-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let policy = try Policy.parse(DocumentJSON.parse(Array(Self.policyJSON.utf8), file: "policy.json"), file: "policy.json")
        let lines = CaseStatus.lines(try Self.histories(dir), policy: policy, now: Self.now)
        #expect(lines.map(\.history.id) == ["C-us-emergency-overdue", "I-us-emergency-explicit-due", "B-eu-emergency",
                                           "A-eu-order", "J-2703d", "G-preserved", "E-us-subpoena"])
        func line(_ id: String) throws -> CaseStatusLine { try #require(lines.first { $0.history.id == id }) }

        // Emergency disclosed, no follow-up: due 48 h after receipt, overdue now.
        let c = try line("C-us-emergency-overdue")
        #expect(c.overdue)
        #expect(c.state == .disclosed)
        #expect(c.deadlines == [CaseDeadline(kind: .followUp, due: Self.t("2026-03-09T12:00:00Z"))])
        // An explicit follow_up_due entry wins over the policy's hours.
        #expect(try line("I-us-emergency-explicit-due").next == CaseDeadline(kind: .followUp, due: Self.t("2026-03-10T13:00:00Z")))
        // EU emergency: 8 hours to answer, and the follow-up.
        let b = try line("B-eu-emergency")
        #expect(b.deadlines == [CaseDeadline(kind: .response, due: Self.t("2026-03-10T14:00:00Z")),
                                CaseDeadline(kind: .followUp, due: Self.t("2026-03-12T06:00:00Z"))])
        #expect(!b.overdue)
        // EU order: 10 days.
        #expect(try line("A-eu-order").deadlines == [CaseDeadline(kind: .response, due: Self.t("2026-03-11T12:00:00Z"))])
        // The policy's response_hours.
        #expect(try line("J-2703d").next == CaseDeadline(kind: .response, due: Self.t("2026-03-12T00:00:00Z")))
        // Preservation: the extended expiry.
        let g = try line("G-preserved")
        #expect(g.state == .preserved)
        #expect(g.deadlines == [CaseDeadline(kind: .preservationExpiry, due: Self.t("2026-08-28T11:00:00Z"))])
        // No statutory deadline: listed last.
        #expect(try line("E-us-subpoena").deadlines.isEmpty)

        // Answered cases with nothing pending appear with --all; closed ones never.
        let all = CaseStatus.lines(try CaseLedger.load(AuditLog(path: dir + "/audit.jsonl")), policy: policy, now: Self.now, all: true)
        #expect(Set(all.map(\.history.id)) == Set(lines.map(\.history.id)).union(["D-us-emergency-followed", "H-eu-answered"]))
        #expect(!all.contains { $0.history.id == "F-eu-closed" })
    }

    @Test func overdueFlagFollowsTheClock() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-status-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let policy = try Policy.parse(DocumentJSON.parse(Array(Self.policyJSON.utf8), file: "policy.json"), file: "policy.json")
        let histories = try Self.histories(dir)
        let later = CaseStatus.lines(histories, policy: policy, now: Self.t("2026-03-11T12:00:01Z"))
        #expect(try #require(later.first { $0.history.id == "A-eu-order" }).overdue)
        let earlier = CaseStatus.lines(histories, policy: policy, now: Self.t("2026-03-11T11:59:59Z"))
        #expect(try #require(earlier.first { $0.history.id == "A-eu-order" }).overdue == false)
    }
}
