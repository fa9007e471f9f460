import DiscloseTestSupport
import Foundation
import Testing

/// A look-alike of the subject's email (a fullwidth `ｊ`, equal under NFKC only) in
/// another account: the plan does not resolve it, counts it and warns.
@Suite struct LookAlikeCLITests {
    @Test func aLookAlikeAccountIsFlaggedNotResolved() throws {
        let ws = try Workspace("disclose-lookalike")
        try Files.append(#"{"account_id":"acc_9901","email":"\#u{FF4A}ulien.marchetti@mail.example"}"# + "\n", ws.example("data/accounts.jsonl"))
        try Files.append(#"{"account_id":"acc_9902","email":"JULIEN.MARCHETTI@MAIL.EXAMPLE"}"# + "\n", ws.example("data/accounts.jsonl"))
        let r = try ws.disclose("plan", Workspace.request(Workspace.case1), "--json")
        try #require(r.status == 0, "\(r)")
        let subjects = try #require(Files.jsonObject(r.stdout)?["subjects"] as? [[String: Any]])
        #expect(subjects[0]["accounts"] as? Int == 2, "acc_1042 and the ASCII upper-case spelling acc_9902")
        #expect(subjects[0]["look_alikes"] as? [String: Int] == ["records": 1, "accounts": 1])
        #expect(!r.stdout.contains("acc_9901"), "the plan names no look-alike account")
        let text = try ws.disclose("plan", Workspace.request(Workspace.case1))
        #expect(text.stdout.contains("WARNING: 1 record(s) in 1 other account(s) carry a look-alike identifier"), "\(text.stdout.prefix(2000))")
        #expect(!text.stdout.contains("acc_9901"))
    }
}
