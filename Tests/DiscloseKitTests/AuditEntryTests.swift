import Foundation
import Testing
@testable import DiscloseKit

/// Audit entries through their one vocabulary (`AuditFact`): what `record` writes is what
/// `AuditEntry` reads, under the same names; the envelope is typed; a line lacking it is
/// refused with its line number.
@Suite("Audit entry")
struct AuditEntryTests {
    func log() throws -> (AuditLog, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-entry-\(UUID().uuidString.prefix(8))").path
        return (AuditLog(path: dir + "/audit.jsonl"), dir)
    }

    @Test("record writes typed facts in order after the envelope; entries read them back by the same names")
    func writeThenRead() throws {
        let (log, dir) = try log()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = Instant(nanoseconds: 1_800_000_000 * 1_000_000_000)
        try log.record(.planned, caseID: "C-1", time: t, facts: [
            (.planSHA512, "abc"), (.verdict, "refused"), (.emergency, true), (.subjects, 2),
            (.refusalReasons, ["NotIssuedByCompetentAuthority"]), (.country, .null),
        ])
        let line = try String(contentsOfFile: log.path, encoding: .utf8)
        #expect(line.hasPrefix(#"{"seq":1,"time":"\#(t)","event":"planned","case":"C-1","plan_sha512":"abc","verdict":"refused","emergency":true,"subjects":2,"refusal_reasons":["NotIssuedByCompetentAuthority"],"country":null,"prev":"000"#))
        let e = try #require(try log.entries().first)
        #expect(e.sequence == 1 && e.time == t && e.event == CaseEvent.planned.rawValue && e.caseID == "C-1")
        #expect(e.string(.planSHA512) == "abc" && e.string(.verdict) == "refused" && e.bool(.emergency) == true && e.int(.subjects) == 2)
        #expect(e.strings(.refusalReasons) == ["NotIssuedByCompetentAuthority"])
        #expect(e.string(.country) == nil && e.string(.bundleID) == nil)
        let history = try #require(try CaseLedger.load(log).first)
        #expect(history.lastPlanVerdict == "refused" && history.planRefusalReasons == ["NotIssuedByCompetentAuthority"] && history.subjects == 2)
    }

    @Test("every fact has its own member name")
    func namesAreDistinct() {
        #expect(Set(AuditFact.allCases.map(\.rawValue)).count == AuditFact.allCases.count)
        #expect(AuditFact.members([(.caseID, "x"), (.sequence, 1)]).map(\.0) == ["case", "seq"])
    }

    @Test("an entry without its envelope is refused with its line")
    func envelopeRequired() throws {
        let (log, dir) = try log()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try log.record(.received, caseID: "C-2", facts: [])
        try (String(contentsOfFile: log.path, encoding: .utf8) + #"{"seq":2,"event":"closed","case":"C-2"}"# + "\n")
            .write(toFile: log.path, atomically: true, encoding: .utf8)
        let error = try #require(throws: InputError.self) { try log.entries() }
        #expect(error.line == 2 && error.message.contains("lacks seq, time, event or case"))
    }
}

/// The reviewer's signed statement (an approval's trusted comment) as one typed value.
@Suite("Approval statement")
struct ApprovalStatementTests {
    static let digest = String(repeating: "ab", count: 64)

    @Test("written then read back: the same statement; the comment keeps its exact layout")
    func roundTrip() throws {
        let t = Instant(nanoseconds: 1_800_000_000 * 1_000_000_000)
        let s = ApprovalStatement(verdict: .reject, planSHA512: Self.digest, time: t, reason: "privileged\tmailbox")
        #expect(s.comment == "disclose-approval/1\tverdict:reject\tplan-sha512:\(Self.digest)\ttime:\(t)\treason:privileged mailbox")
        let read = try #require(ApprovalStatement(comment: s.comment))
        #expect(read.verdict == .reject && read.planSHA512 == Self.digest && read.time == t && read.reason == "privileged mailbox")
        let approve = ApprovalStatement(verdict: .approve, planSHA512: Self.digest, time: t, reason: nil)
        #expect(ApprovalStatement(comment: approve.comment) == approve)
    }

    @Test("another statement, a short digest, a missing time or a field without a colon is not an approval")
    func refused() {
        let t = "time:2026-01-01T00:00:00Z"
        #expect(ApprovalStatement(comment: "timestamp:1\tfile:x") == nil)
        #expect(ApprovalStatement(comment: "disclose-approval/1\tverdict:approve\tplan-sha512:abc\t\(t)") == nil)
        #expect(ApprovalStatement(comment: "disclose-approval/1\tverdict:approve\tplan-sha512:\(Self.digest)") == nil)
        #expect(ApprovalStatement(comment: "disclose-approval/1\tverdict:approve\tplan-sha512:\(Self.digest)\t\(t)\tnocolon") == nil)
        #expect(ApprovalStatement(comment: "disclose-approval/1\tverdict:maybe\tplan-sha512:\(Self.digest)\t\(t)") == nil)
    }
}
