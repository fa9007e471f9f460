import DiscloseTestSupport
import Foundation
import Testing

/// Pseudonyms are keyed per case by a random nonce the provider records in the plan and
/// the audit log — not by the request id alone — so a request that reuses another case's
/// id gets unrelated pseudonyms, or is refused where the log already holds that id.
@Suite("Case nonce")
struct CaseNonceTests {
    private func plan(_ ws: Workspace, _ request: String = Workspace.request(Workspace.case1)) throws -> [String: Any] {
        let r = try ws.disclose("plan", request, "--json")
        try #require(r.status == 0, "\(r)")
        return try #require(Files.jsonObject(r.stdout))
    }

    private func nonce(_ plan: [String: Any]) -> String? { (plan["inputs"] as? [String: Any])?["case_nonce"] as? String }

    private func outputs(_ plan: [String: Any]) -> [String] {
        ((plan["datasets"] as? [[String: Any]]) ?? []).compactMap { ($0["output"] as? [String: Any])?["blake2b512"] as? String }
    }

    @Test("the same request id under two case nonces gets different pseudonyms; re-planning reuses the nonce from the audit log")
    func pseudonymsDoNotLinkAcrossCases() throws {
        let a = try Workspace("disclose-nonce"), b = try Workspace("disclose-nonce")
        let first = try plan(a), again = try plan(a), other = try plan(b)
        let n = try #require(nonce(first))
        #expect(n.count == 64)
        #expect(nonce(again) == n, "re-planning the same request reuses its nonce")
        #expect(outputs(again) == outputs(first), "so plan and export agree")
        #expect(nonce(other) != n)
        // Case 1 pseudonymizes third parties (messages: to[]): those outputs differ.
        #expect(outputs(other) != outputs(first), "another case with the same id gets other pseudonyms")
        let log = try String(contentsOfFile: a.example("state/audit.jsonl"), encoding: .utf8)
        #expect(log.components(separatedBy: "\"case_nonce\":\"\(n)\"").count == 3, "both planned entries record the nonce")
    }

    @Test("another authority's request reusing an id the audit log holds is refused (exit 1) with a hint; the same authority's amendment continues the case")
    func reusedIDRefused() throws {
        let ws = try Workspace("disclose-nonce")
        _ = try plan(ws)
        let original = ws.example(Workspace.request(Workspace.case1))
        let text = try String(contentsOfFile: original, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "\"authority\": \"fr-tj-paris\"", with: "\"authority\": \"fr-parquet-lyon\"")
        try #require(edited != text)
        try edited.write(toFile: ws.example("cases/other-request.json"), atomically: true, encoding: .utf8)
        let r = try ws.disclose("plan", "cases/other-request.json")
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.contains("request id FR-TJP-2026-EPOC-0117 is already in the audit log for a different request from another authority (fr-tj-paris"), "\(r)")
        #expect(r.stderr.contains("disclose: hint: "), "\(r)")
        #expect(try ws.auditEvents() == ["planned"], "nothing logged for the refused plan")

        // The same authority amending its request (as an HI-1 UPDATE does) keeps the case's nonce.
        let amended = text.replacingOccurrences(of: "\"reference\": \"", with: "\"reference\": \"AMENDED ")
        try amended.write(toFile: ws.example("cases/amended.json"), atomically: true, encoding: .utf8)
        let a = try ws.disclose("plan", "cases/amended.json", "--json")
        #expect(a.status == 0, "\(a)")
        let first = try plan(ws)
        #expect(nonce(try #require(Files.jsonObject(a.stdout))) == nonce(first))
    }

    @Test("export keys the pseudonyms with the plan's nonce: the exported bundle verifies against the approved plan")
    func exportAgreesWithPlan() throws {
        let ws = try Workspace("disclose-nonce")
        let bundle = try ws.exportedBundle()
        let v = try ws.disclose("verify", bundle, "--signer", ws.key("DEMO-provider.pub"), "--identity", ws.key("DEMO-authority-fr.age"))
        #expect(v.status == 0, "\(v)")
    }
}
