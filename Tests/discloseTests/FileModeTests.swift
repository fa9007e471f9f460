import DiscloseTestSupport
import Foundation
import Testing

/// What Disclose writes holds subject identifiers (plans, imported requests, approvals
/// beside a plan, sampled records, HI-1 answers): mode 0600 whatever the umask, new
/// directories 0700. Sampled records never go to a redirected standard output.
@Suite struct FileModeTests {
    static func mode(_ path: String) -> mode_t {
        var st = stat()
        return stat(path, &st) == 0 ? st.st_mode & 0o777 : 0o7777
    }

    @Test func plansApprovalsImportsAndSamplesAre0600UnderAPermissiveUmask() throws {
        let ws = try Workspace("disclose-modes")
        let request = Workspace.request(Workspace.case1)
        // umask 000 would make anything created with 0644 or 0666 world-writable or -readable.
        func run(_ words: String...) throws -> Run {
            try Run.command("/bin/bash", ["-c", "umask 000; exec \"$0\" \"$@\"", Binary.disclose] + words, in: ws.examples)
        }
        let plan = ws.output("plan.json")
        let p = try run("plan", request, "--out", plan, "--sample", "2", "--sample-out", ws.output("sample.jsonl"))
        try #require(p.status == 0, "\(p)")
        #expect(Self.mode(plan) == 0o600)
        #expect(Self.mode(ws.output("sample.jsonl")) == 0o600)
        #expect(try Files.bytes(ws.output("sample.jsonl")).count > 100, "the sample file holds the sampled records")
        #expect(!p.stdout.contains("Mozilla/5.0"), "with --sample-out no record reaches standard output")
        let a = try run("approve", plan, "--key", ws.key("DEMO-reviewer-legal.key"))
        try #require(a.status == 0, "\(a)")
        let approvals = Files.names(ws.out).filter { $0.hasSuffix(".minisig") }
        #expect(approvals.count == 1)
        for name in approvals { #expect(Self.mode(ws.output(name)) == 0o600, "\(name)") }
        let i = try run("import", "hi1/fr-tj-paris-epoc.xml", "--out", ws.output("imported.json"))
        try #require(i.status == 0, "\(i)")
        #expect(Self.mode(ws.output("imported.json")) == 0o600)
        #expect(Self.mode(ws.example("state")) == 0o700, "the audit log's directory, created by the first command")
        let sampleAgain = try run("plan", request, "--sample", "1", "--sample-out", ws.output("sample.jsonl"))
        #expect(sampleAgain.status == 2 && sampleAgain.stderr.contains("already exists"), "never overwritten:\n\(sampleAgain)")
    }

    @Test func sampleIsRefusedWhenStandardOutputIsNotATerminal() throws {
        let ws = try Workspace("disclose-modes")
        // Run's standard output is a file: exactly the redirect that used to receive the records.
        let r = try ws.disclose("plan", Workspace.request(Workspace.case1), "--sample", "3")
        #expect(r.status == 2, "\(r)")
        #expect(r.stderr.contains("disclose: error:") && r.stderr.contains("--sample-out"), "\(r)")
        #expect(r.stdout.isEmpty, "nothing printed, not even the report")
        #expect(try ws.auditEvents().isEmpty, "refused before any work")
        let noSample = try ws.disclose("plan", Workspace.request(Workspace.case1), "--sample-out", ws.output("s"))
        #expect(noSample.status == 2 && !Files.exists(ws.output("s")), "\(noSample)")
    }
}
