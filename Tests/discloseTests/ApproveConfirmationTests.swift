import DiscloseTestSupport
import Foundation
import Testing

/// `approve` shows what is signed and, on a terminal, asks before signing.
@Suite struct ApproveConfirmationTests {
    @Test func showsWhatIsSignedAndAsksOnATerminal() throws {
        guard try StockTool.require(.python3) else { return }
        let ws = try Workspace("disclose-approve-tty")
        let plan = ws.output("plan.json")
        try #require(try ws.disclose("plan", Workspace.request(Workspace.case1), "--out", plan).status == 0)
        let key = ws.key("DEMO-reviewer-legal.key")
        // Declined: nothing signed, exit 1.
        let no = try PseudoTerminal.disclose(["approve", plan, "--key", key], in: ws.examples, expect: "[y/N]", answer: "n\n")
        #expect(no.status == 1 && no.stdout.contains("not signed"), "\(no)")
        #expect(Approval.count(ws.out) == 0)
        for fact in ["You are about to APPROVE", "FR-TJP-2026-EPOC-0117", "2026-09-30 22:00 UTC – 2026-11-14 20:40 UTC",
                     "julien.marchetti@mail.example", "granted: identification, traffic", "pseudonymize: cc[], to[]",
                     "withheld: attachments[].filename, body", "provider escrow:", "authority:"] {
            #expect(no.stdout.contains(fact), "\(fact)\n\(no.stdout)")
        }
        #expect(no.stdout.contains("\u{1B}["), "colour on a terminal")
        // Confirmed: signed. NO_COLOR: no escape sequences at all.
        let yes = try PseudoTerminal.disclose(["approve", plan, "--key", key], in: ws.examples, environment: ["NO_COLOR": "1"],
                                              expect: "[y/N]", answer: "yes\n")
        #expect(yes.status == 0 && Approval.count(ws.out) == 1, "\(yes)")
        #expect(!yes.stdout.contains("\u{1B}["), "NO_COLOR\n\(yes.stdout)")
        // --yes on a terminal, and no terminal at all: never asks.
        let scripted = try PseudoTerminal.disclose(["approve", plan, "--key", ws.key("DEMO-reviewer-privacy.key"), "--yes"], in: ws.examples)
        #expect(scripted.status == 0 && !scripted.stdout.contains("[y/N]"), "\(scripted)")
        let plan2 = ws.output("plan2.json")
        try #require(try ws.disclose("plan", Workspace.request(Workspace.case1), "--out", plan2).status == 0)
        // The same plan digest again: this key already decided it (audit log), so --replace.
        let piped = try ws.disclose("approve", plan2, "--key", key, "--replace")
        #expect(piped.status == 0 && !piped.stdout.contains("[y/N]") && !piped.stdout.contains("\u{1B}"), "\(piped)")
        #expect(piped.stdout.contains("You are about to APPROVE"))
    }
}

private enum Approval {
    /// `.minisig` files in `dir`.
    static func count(_ dir: String) -> Int { Files.names(dir).filter { $0.hasSuffix(".minisig") }.count }
}
