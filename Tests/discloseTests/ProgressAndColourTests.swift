import DiscloseTestSupport
import Foundation
import Testing

/// Progress lines and colour appear on a terminal only: tested on a pseudo-terminal, and
/// NO_COLOR or a pipe give output without a single escape sequence.
@Suite struct ProgressAndColourTests {
    @Test func progressOnATerminalOnly() throws {
        guard try StockTool.require(.python3) else { return }
        let ws = try Workspace("disclose-progress")
        let plan = try ws.approvedPlan()
        // On a terminal: a progress line per dataset on stderr, then the report; colour.
        let tty = try PseudoTerminal.disclose(["plan", Workspace.request(Workspace.case1)], in: ws.examples)
        #expect(tty.status == 0, "\(tty)")
        #expect(tty.stdout.contains("\rdisclose: logins: ") && tty.stdout.contains(" of 664 kB"), "\(tty.stdout.prefix(400))")
        #expect(tty.stdout.contains("\u{1B}[1;33mDISCLOSE\u{1B}[0m"), "the verdict in colour on a terminal")
        // NO_COLOR on a terminal: progress still, but no escape sequence at all.
        let plain = try PseudoTerminal.disclose(["plan", Workspace.request(Workspace.case1)], in: ws.examples, environment: ["NO_COLOR": "1"])
        #expect(plain.status == 0 && plain.stdout.contains("\rdisclose: messages: ") && !plain.stdout.contains("\u{1B}"), "\(plain)")
        // export and verify show theirs too.
        let bundle = ws.output("bundle")
        let e = try PseudoTerminal.disclose(["export", plan, "--out", bundle], in: ws.examples, environment: ["NO_COLOR": "1"])
        #expect(e.status == 0 && e.stdout.contains("\rdisclose: files: "), "\(e)")
        let v = try PseudoTerminal.disclose(["verify", bundle, "--signer", ws.key("DEMO-provider.pub"), "--identity", ws.key("DEMO-authority-fr.age")],
                                            in: ws.examples, environment: ["NO_COLOR": "1"])
        #expect(v.status == 0 && v.stdout.contains("\rdisclose: data/logins.jsonl.age: ") && !v.stdout.contains("\u{1B}"), "\(v)")
        // preserve too (case 6, a preservation request).
        let pr = try PseudoTerminal.disclose(["preserve", Workspace.request("06-us-preservation"), "--out", ws.output("preserved")],
                                             in: ws.examples, environment: ["NO_COLOR": "1"])
        #expect(pr.status == 0 && pr.stdout.contains("\rdisclose: logins: ") && !pr.stdout.contains("\u{1B}"), "\(pr)")
        // Not a terminal: nothing on stderr, no carriage returns, no escapes.
        for args in [["plan", Workspace.request(Workspace.case1)], ["verify", bundle, "--signer", ws.key("DEMO-provider.pub")]] {
            let piped = try Run.disclose(args, in: ws.examples)
            #expect(piped.status == 0 && piped.stderr.isEmpty && !piped.output.contains("\r") && !piped.output.contains("\u{1B}"), "\(piped)")
        }
    }
}
