import DiscloseTestSupport
import Foundation
import Testing

/// `export` refuses, with a clear message and the right exit status, and writes nothing:
/// no bundle at --out, no partial directory beside it, no "exported" audit entry.
@Suite("Export refusals")
struct ExportRefusalTests {
    /// Runs export and checks the refusal; returns the run for further assertions.
    @discardableResult
    private func expectRefused(_ ws: Workspace, plan: String, status: Int32, mentions: [String],
                               out: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> Run {
        let target = out ?? ws.output("bundle")
        let before = Files.names(ws.out)
        let r = try ws.disclose("export", plan, "--out", target)
        #expect(r.status == status, "\(r)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains("disclose: error: "), "\(r)", sourceLocation: sourceLocation)
        for m in mentions { #expect(r.stderr.contains(m), "expected '\(m)' in:\n\(r)", sourceLocation: sourceLocation) }
        #expect(!r.stderr.contains("Fatal error"), sourceLocation: sourceLocation)
        #expect(!r.stdout.contains("written to"), sourceLocation: sourceLocation)
        if out == nil { #expect(!Files.exists(target), "nothing at the --out path", sourceLocation: sourceLocation) }
        #expect(Files.names(ws.out) == before, "nothing new beside it (no .partial directory)", sourceLocation: sourceLocation)
        #expect(try !ws.auditEvents().contains("exported"), sourceLocation: sourceLocation)
        return r
    }

    @Test("no approvals at all: exit 1, names the missing count and roles")
    func noApprovals() throws {
        let ws = try Workspace()
        let plan = try ws.approvedPlan(reviewers: [])
        try expectRefused(ws, plan: plan, status: 1, mentions: [
            "export refused: the approvals do not satisfy the policy", "0 valid approval(s); the policy requires 2",
            "no approval by a reviewer with role 'legal'", "no approval by a reviewer with role 'privacy'"])
    }

    @Test("one approval of the two required: exit 1, names the missing role")
    func oneOfTwoApprovals() throws {
        let ws = try Workspace()
        let plan = try ws.approvedPlan(reviewers: ["DEMO-reviewer-legal.key"])
        let r = try expectRefused(ws, plan: plan, status: 1, mentions: [
            "1 valid approval(s); the policy requires 2", "no approval by a reviewer with role 'privacy'"])
        #expect(!r.stderr.contains("role 'legal'"))
    }

    @Test("a rejection blocks export even beside an approval: exit 1, quotes the reviewer's reason")
    func rejectionPresent() throws {
        let ws = try Workspace()
        let plan = try ws.approvedPlan(reviewers: ["DEMO-reviewer-legal.key"])
        let rej = try ws.disclose("approve", plan, "--key", ws.key("DEMO-reviewer-privacy.key"), "--reject", "--reason", "window too broad")
        #expect(rej.status == 0, "\(rej)")
        try expectRefused(ws, plan: plan, status: 1, mentions: ["rejected by", "(privacy, key", "window too broad"])
        #expect(try ws.auditEvents() == ["planned", "approved", "rejected"])
    }

    @Test("an approval by a key the policy does not trust does not count: exit 1, names the key")
    func untrustedApprover() throws {
        let ws = try Workspace()
        let plan = try ws.approvedPlan(reviewers: ["DEMO-reviewer-legal.key"])
        // A fresh key, not in the policy, approves a copy of the plan; its .minisig is put beside the real plan.
        let k = try ws.disclose("keygen", "signing", "--unencrypted", "--out", ws.output("stranger"))
        #expect(k.status == 0, "\(k)")
        let elsewhere = ws.output("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: plan, toPath: elsewhere + "/plan.json")
        // Signed where no configuration is at hand (approve refuses an untrusted key where one is).
        let a = try Run.disclose(["approve", elsewhere + "/plan.json", "--key", ws.output("stranger.key")], in: elsewhere)
        #expect(a.status == 0, "\(a)")
        let sig = try #require(Files.names(elsewhere).first { $0.hasSuffix(".minisig") })
        try FileManager.default.copyItem(atPath: elsewhere + "/" + sig, toPath: ws.out + "/" + sig)
        let keyID = String(sig.dropFirst("plan.json.".count).dropLast(".minisig".count))
        try expectRefused(ws, plan: plan, status: 1, mentions: [
            "key \(keyID) is not a trusted approver in the policy", "1 valid approval(s); the policy requires 2"])
    }

    @Test("data changed after approval (a record of the subject appended): exit 1, says the data changed")
    func dataChangedSinceApproval() throws {
        let ws = try Workspace()
        let plan = try ws.approvedPlan()
        try Files.append(#"{"account_id":"acc_1042","ts":"2026-10-20T10:00:00Z","ip":"198.51.100.9","port":1,"user_agent":"x","session_id":"s_1","device":{"os":"a","model":"b"}}"# + "\n",
                         ws.example("data/logins/2026-10.jsonl"))
        try expectRefused(ws, plan: plan, status: 1, mentions: [
            "export refused: the plan recomputed now differs from the approved plan; nothing was exported",
            "a dataset's scoped output changed (the data changed)", "the number of records in a dataset changed",
            "datasets[logins].records.of_subjects: approved 74 → now 75"])
    }

    @Test("a record of somebody else added after approval also blocks export (the scan count is bound)")
    func otherAccountsDataChanged() throws {
        let ws = try Workspace()
        let plan = try ws.approvedPlan()
        try Files.append(#"{"account_id":"acc_9999","ts":"2026-10-20T10:00:00Z","ip":"198.51.100.9","port":1,"user_agent":"x","session_id":"s_1","device":{"os":"a","model":"b"}}"# + "\n",
                         ws.example("data/logins/2026-10.jsonl"))
        try expectRefused(ws, plan: plan, status: 1, mentions: ["the number of records in a dataset changed"])
    }

    @Test("request edited after approval: exit 1, says the request file changed")
    func requestEditedSinceApproval() throws {
        let ws = try Workspace()
        let plan = try ws.approvedPlan()
        let req = ws.example(Workspace.request(Workspace.case1))
        let text = try String(contentsOfFile: req, encoding: .utf8)
        try text.replacingOccurrences(of: "EPOC 2026/117", with: "EPOC 2026/118").write(toFile: req, atomically: true, encoding: .utf8)
        try expectRefused(ws, plan: plan, status: 1, mentions: ["the request file changed", "request_sha512"])
    }

    @Test("policy edited after approval: exit 1, says the policy changed")
    func policyEditedSinceApproval() throws {
        let ws = try Workspace()
        let plan = try ws.approvedPlan()
        try Files.append("\n", ws.example("policy.json"))
        try expectRefused(ws, plan: plan, status: 1, mentions: ["the policy changed"])
    }

    @Test("the plan file edited after approval: the approvals no longer verify (exit 1)")
    func planEditedSinceApproval() throws {
        let ws = try Workspace()
        let plan = try ws.approvedPlan()
        let text = try String(contentsOfFile: plan, encoding: .utf8)
        try text.replacingOccurrences(of: "\"disclosed\": 40", with: "\"disclosed\": 39").write(toFile: plan, atomically: true, encoding: .utf8)
        try expectRefused(ws, plan: plan, status: 1, mentions: ["signature does not verify for this plan", "0 valid approval(s)"])
    }

    @Test("an existing output directory is never overwritten: exit 2, and it stays as it was")
    func existingOutputDirectory() throws {
        let ws = try Workspace()
        let plan = try ws.approvedPlan()
        let target = ws.output("exists")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try Files.write(Array("keep me\n".utf8), target + "/note.txt")
        try expectRefused(ws, plan: plan, status: 2, mentions: ["\(target): output path already exists"], out: target)
        #expect(Files.names(target) == ["note.txt"])
        #expect(try Files.bytes(target + "/note.txt") == Array("keep me\n".utf8))
        // …and an existing regular file at the path likewise.
        let file = ws.output("file")
        try Files.write([1, 2, 3], file)
        try expectRefused(ws, plan: plan, status: 2, mentions: ["already exists"], out: file)
        #expect(try Files.bytes(file) == [1, 2, 3])
    }

    @Test("plan refuses case 5 (prosecutor asks for content): exit 1 and REFUSED; the expired instrument too")
    func planRefusals() throws {
        let ws = try Workspace()
        let caseName = "05-refused-prosecutor-content"
        let p = try ws.disclose("plan", Workspace.request(caseName), "--out", ws.output("plan5.json"))
        #expect(p.status == 1, "\(p)")
        #expect(p.stdout.contains("REFUSED"), "\(p)")
        #expect(p.stdout.contains("issuer competent"), "\(p)")
        let e = try ws.disclose("plan", Workspace.request(caseName, "request-expired.json"))
        #expect(e.status == 1, "\(e)")
        #expect(e.stdout.contains("REFUSED"))
        // "expires": "2026-11-01" is the whole of 1 November in Paris (UTC+1).
        #expect(e.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains("the instrument expired at 2026-11-01T22:59:59.999999999Z"), "\(e)")

        // A refused plan cannot be approved, and it is not exportable.
        for r in ["DEMO-reviewer-legal.key", "DEMO-reviewer-privacy.key"] {
            let a = try ws.disclose("approve", ws.output("plan5.json"), "--key", ws.key(r))
            #expect(a.status == 1, "\(a)")
        }
        try expectRefused(ws, plan: ws.output("plan5.json"), status: 1, mentions: ["export refused: the request no longer passes the policy checks"])
    }
}
