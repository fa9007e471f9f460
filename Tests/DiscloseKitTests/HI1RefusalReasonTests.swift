import Foundation
import Testing
@testable import DiscloseKit

/// Refusals as HI-1 notifications: every refusal ground maps to a Form 3 family (the
/// built-in map, or the policy's override), and the answer carries one NotificationObject
/// per distinct refusal, associated with the authorisation and the tasks it concerns.
@Suite("HI-1 refusal reasons")
struct HI1RefusalReasonTests {
    static let root = HI1MappingTests.root

    func message() throws -> HI1Request {
        try HI1Reader.read(FileBytes.read(path: Self.root + "/Examples/hi1/fr-tj-paris-epoc.xml", limit: 1 << 20), file: "m.xml")
    }

    /// The golden Paris plan with the verdict, checks, categories and subjects given.
    func plan(_ verdict: String, checks: [PlanModel.Check] = [], categories: [(String, Bool, String)] = [],
              subjects: [(String, String, Int)] = []) throws -> PlanModel {
        let path = Self.root + "/Tests/discloseTests/Golden/01-eu-epoc-paris.plan.json"
        var m = try PlanModel.read(FileBytes.read(path: path, limit: 1 << 20), file: path)
        m.verdict = verdict
        m.checks = checks
        m.categories = categories.map { PlanModel.Category(category: $0.0, requested: true, granted: $0.1, reason: $0.2) }
        m.subjects = subjects.map { PlanModel.Subject(type: $0.0, value: $0.1, time: nil, accounts: $0.2, accountsSHA512: "", resolvedVia: [], lookAlikes: nil) }
        return m
    }

    /// A refused plan document whose one failed check is `check`.
    func refusedPlan(_ check: String) throws -> PlanModel {
        try plan("refused", checks: [.init(check: "authority known", outcome: "pass", detail: "ok"),
                                     .init(check: check, outcome: "fail", detail: "the \(check) check failed")])
    }

    static let expected: [(String, HI1RefusalReason)] = [
        ("authority known", .notCompetentAuthority), ("instrument type known", .manifestError),
        ("issuer competent", .notCompetentAuthority), ("issued before receipt", .manifestError),
        ("instrument in force", .manifestError), ("window within limit", .manifestError),
        ("emergency declared", .incompleteOrder), ("call-back attestation", .incompleteOrder),
        ("request within the issuer's competence", .notCompetentAuthority), ("something to disclose", .notCompetentAuthority),
        ("named fields exist", .manifestError),
    ]

    @Test("every policy check the decider can fail has a family in the default map")
    func everyCheckMapped() throws {
        // Every file of the decision's folder: the checks moved between its files before.
        let folder = Self.root + "/Sources/DiscloseKit/Decision"
        let source = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".swift") }.sorted()
            .map { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }.joined(separator: "\n")
        let names = Set(source.matches(of: /check\("([^"]+)"/).map { String($0.1) })
        #expect(!names.isEmpty)
        for n in names { #expect(HI1ReasonMap.defaults[n] != nil, "check '\(n)' has no Form 3 family") }
        #expect(Set(Self.expected.map(\.0)) == names)
    }

    @Test("a refused plan answers every task Rejected with the failed check's family", arguments: expected)
    func refusedCheck(_ check: String, _ reason: HI1RefusalReason) throws {
        let m = try message()
        let outcomes = HI1Outcomes.outcomes(try HI1Mapping.taskScopes(m, file: "m.xml"), plan: try refusedPlan(check), policy: nil)
        #expect(outcomes.allSatisfy { $0.status == .rejected && $0.refusal == reason && $0.code == HI1Answer.Code.refused })
        let notes = HI1Notification.refusals(outcomes, authorisation: m.authorisation.objectIdentifier)
        #expect(notes.count == 1)
        #expect(notes.first?.associated == [m.authorisation.objectIdentifier] + m.tasks.map(\.objectIdentifier))
        #expect(notes.first?.typeValue == reason.dictionaryValue)
        let xml = HI1Answer.message(request: m, outcomes: outcomes, bundle: nil, from: m.receiver, now: Instant(nanoseconds: 0))
        #expect(xml.contains("<common:Value>\(reason.dictionaryValue)</common:Value>"))
        #expect(xml.contains("<notification:NotificationDetails>\(check): the \(check) check failed</notification:NotificationDetails>"))
    }

    @Test("no data, categories beyond the instrument and a reviewer's rejection have their families")
    func taskLevelGrounds() throws {
        let m = try message()
        let scopes = try HI1Mapping.taskScopes(m, file: "m.xml")
        let noAccount = try plan("no_data", categories: [("traffic", true, "granted"), ("identification", true, "granted")])
        #expect(HI1Outcomes.outcomes(scopes, plan: noAccount, policy: nil).allSatisfy { $0.status == .notAvailable && $0.refusal == .dataNotHeld })
        let traffic = try plan("disclose", categories: [("traffic", false, "refused: no traffic"), ("identification", true, "granted")],
                               subjects: [("email", "julien.marchetti@mail.example", 1)])
        let o = HI1Outcomes.outcomes(scopes, plan: traffic, policy: nil)
        #expect(o.map(\.status) == [.rejected, .disclosed] && o[0].refusal == .notCompetentAuthority)
        let notes = HI1Notification.refusals(o, authorisation: m.authorisation.objectIdentifier)
        #expect(notes.map(\.associated) == [[m.authorisation.objectIdentifier, m.tasks[0].objectIdentifier]])
        let rejected = HI1Outcomes.outcomes(scopes, plan: traffic, policy: nil,
                                            rejection: HI1Outcomes.Rejection(role: "legal", reason: "privilege of a lawyer's mailbox"))
        #expect(rejected.allSatisfy { $0.status == .rejected && $0.refusal == .other && ($0.reason ?? "").contains("privilege of a lawyer's mailbox") })
    }

    @Test("the policy's hi1_refusal_reasons overrides the default; unknown grounds and families are refused")
    func policyOverride() throws {
        var text = try String(contentsOfFile: Self.root + "/Examples/policy.json", encoding: .utf8)
        let cut = text.lastIndex(of: "}")!
        text.replaceSubrange(cut...cut, with: ", \"hi1_refusal_reasons\": {\"reviewer rejection\": \"immunities_privileges\", \"window within limit\": \"de_facto_impossibility\"}}")
        let policy = try Policy.parse(DocumentJSON.parse(Array(text.utf8), file: "p.json"), file: "p.json")
        #expect(HI1ReasonMap.reason("reviewer rejection", policy: policy) == .immunitiesPrivileges)
        #expect(HI1ReasonMap.reason("window within limit", policy: policy) == .deFactoImpossibility)
        #expect(HI1ReasonMap.reason("authority known", policy: policy) == .notCompetentAuthority)
        for bad in ["{\"no such check\": \"other\"}", "{\"authority known\": \"because\"}"] {
            var t = try String(contentsOfFile: Self.root + "/Examples/policy.json", encoding: .utf8)
            let c = t.lastIndex(of: "}")!
            t.replaceSubrange(c...c, with: ", \"hi1_refusal_reasons\": \(bad)}")
            #expect(throws: InputError.self) { try Policy.parse(DocumentJSON.parse(Array(t.utf8), file: "p.json"), file: "p.json") }
        }
    }

    @Test("the transparency report counts rejected requests by family")
    func reportReasons() throws {
        func entry(_ seq: Int, _ event: String, _ id: String, _ extra: String) throws -> AuditEntry {
            let node = try DocumentJSON.parse(Array("{\"seq\": \(seq), \"time\": \"2026-11-20T10:00:00Z\", \"event\": \"\(event)\", \"case\": \"\(id)\"\(extra)}".utf8), file: "a")
            return AuditEntry(sequence: seq, time: TimeParsing.parseDate("2026-11-20T10:00:00Z")!, event: event, caseID: id, node: node)
        }
        let received = ", \"received\": \"2026-11-20T09:00:00Z\", \"country\": \"FR\", \"instrument\": \"eu_production_order\""
        let entries = [
            try entry(1, "planned", "a", received + ", \"verdict\": \"refused\", \"refusal_reasons\": [\"manifest_error\", \"incomplete_order\"]"),
            try entry(2, "planned", "b", received + ", \"verdict\": \"disclose\""),
            try entry(3, "rejected", "b", ", \"refusal_reason\": \"immunities_privileges\""),
            try entry(4, "closed", "b", ""),
        ]
        let report = TransparencyReport.build(CaseLedger.histories(entries), from: TimeParsing.parseDate("2026-01-01T00:00:00Z")!,
                                              to: TimeParsing.parseDate("2027-01-01T00:00:00Z")!)
        #expect(report.total.refusalReasons == ["manifest_error": 1, "immunities_privileges": 1])
        #expect(report.json["total"]?["refusal_reasons"]?["manifest_error"] == .int(1))
        #expect(report.text.contains("Rejected, by reason (e-Evidence Form 3 families): immunities_privileges 1, manifest_error 1"))
    }
}
