import DiscloseTestSupport
import Foundation
import Testing
@testable import disclose
import DiscloseKit

/// The lifecycle commands through the real binary: case events, status, audit verify
/// (including against a bundle's head), report, and concurrent appends from two processes.
@Suite struct LifecycleCLITests {
    @Test func parsesTheLifecycleCommands() throws {
        #expect(try parse(["case", "receive", "r.json"]) == .lifecycle(.receive(request: "r.json", config: nil)))
        #expect(try parse(["case", "close", "ID", "--reason", "done"]) == .lifecycle(.close(caseID: "ID", reason: "done", config: nil)))
        #expect(try parse(["case", "follow-up", "ID", "--reference", "W-1"]) == .lifecycle(.followUp(caseID: "ID", reference: "W-1", config: nil)))
        #expect(try parse(["audit", "verify", "--bundle", "a", "--bundle", "b", "--json"])
                == .lifecycle(.auditVerify(bundles: ["a", "b"], config: nil, log: nil, signer: nil, json: true)))
        let report = try parse(["report", "--from", "2026-01-01", "--to", "2026-03-31", "--csv", "--chart", "c.svg"])
        #expect(report == .lifecycle(.report(from: "2026-01-01", to: "2026-03-31", timeZone: nil,
                                             format: .csv, chart: "c.svg", config: nil, log: nil)))
        #expect(try parse(["status", "--at", "2026-11-28", "--time-zone", "America/New_York"])
                == .lifecycle(.status(config: nil, json: false, all: false, at: "2026-11-28", timeZone: "America/New_York")))
        #expect(throws: UsageError.self) { try parse(["status", "--at", "2026-11-28", "--time-zone", "EST"]) }
        #expect(throws: UsageError.self) { try parse(["report", "--from", "2026-02-30", "--to", "2026-03-01"]) }
        #expect(throws: UsageError.self) { try parse(["case", "follow-up", "ID"]) }            // --reference required
        #expect(throws: UsageError.self) { try parse(["case", "reopen", "ID"]) }
        #expect(try parse(["audit", "verify", "--log", "l.jsonl", "--signer", "p.pub"])
                == .lifecycle(.auditVerify(bundles: [], config: nil, log: "l.jsonl", signer: "p.pub", json: false)))
        #expect(try parse(["audit", "checkpoint", "--passphrase-file", "pw"]) == .lifecycle(.auditCheckpoint(config: nil, passphraseFile: "pw")))
        #expect(throws: UsageError.self) { try parse(["audit"]) }
        #expect(throws: UsageError.self) { try parse(["audit", "checkpoint", "--log", "l.jsonl"]) }
        #expect(throws: UsageError.self) { try parse(["report", "--from", "2026-02-01", "--to", "2026-01-01"]) }
        #expect(throws: UsageError.self) { try parse(["report", "--from", "2026-01-01", "--to", "2026-02-01", "--json", "--csv"]) }
        #expect(throws: UsageError.self) { try parse(["preserve", "r.json"]) }                   // --out required
        for topic in ["case", "audit", "status", "preserve", "report"] { #expect(Usage.text(for: topic) != nil) }
    }

    @Test func lifecycleEndToEnd() throws {
        let ws = try Workspace("disclose-life")
        let emergency = Workspace.request("04-emergency-threat-to-life")
        let r1 = try ws.disclose("case", "receive", emergency)
        #expect(r1.status == 0, "\(r1)")
        #expect(r1.stdout.contains("follow up due 2026-11-29T08:12:00Z"))
        let again = try ws.disclose("case", "receive", emergency)
        #expect(again.status == 1, "a request is received once")
        #expect(try ws.disclose("case", "receive", Workspace.request(Workspace.case1)).status == 0)

        // Case 1 end to end; the bundle records the head that includes its export.
        let bundle = try ws.exportedBundle()
        #expect(try ws.auditEvents() == ["received", "follow_up_due", "received", "planned", "approved", "approved", "exported"])

        let status = try ws.disclose("status", "--at", "2026-11-28T00:00:00Z", "--json")
        #expect(status.status == 0, "\(status)")
        let cases = try #require(Files.jsonObject(status.stdout)?["cases"] as? [[String: Any]])
        #expect(cases.map { $0["case"] as? String } == ["US-FBI-NY-EDR-2026-1127-03"])   // case 1 is answered
        #expect(cases.first?["overdue"] as? Bool == false)

        // The follow-up arrives; closing; a closed case takes no more events.
        #expect(try ws.disclose("case", "follow-up", "US-FBI-NY-EDR-2026-1127-03", "--reference", "SDNY warrant 26-4410").status == 0)
        #expect(try ws.disclose("case", "follow-up", "UNKNOWN-ID", "--reference", "x").status == 1)
        #expect(try ws.disclose("case", "close", "US-FBI-NY-EDR-2026-1127-03", "--reason", "answered; follow-up received").status == 0)
        #expect(try ws.disclose("case", "close", "US-FBI-NY-EDR-2026-1127-03").status == 1)
        let quiet = try ws.disclose("status")
        #expect(quiet.stdout.contains("No open cases"), "\(quiet)")

        // Report: FR case disclosed (non-content), US emergency pending (never planned).
        let report = try ws.disclose("report", "--from", "2026-11-01", "--to", "2026-11-30", "--json", "--chart", ws.output("chart.svg"))
        #expect(report.status == 0, "\(report)")
        let total = try #require(Files.jsonObject(report.stdout)?["total"] as? [String: Any])
        #expect(total["requests"] as? Int == 2)
        #expect(total["non_content_only"] as? Int == 1)
        #expect(total["pending"] as? Int == 1)
        #expect(total["accounts_specified"] as? Int == 3)
        let svg = try String(contentsOfFile: ws.output("chart.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains(">FR</text>"))

        // audit verify: intact, with the bundle's head; then truncated below that head.
        let ok = try ws.disclose("audit", "verify", "--bundle", bundle)
        #expect(ok.status == 0, "\(ok)")
        let log = ws.example("state/audit.jsonl")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        try (lines.prefix(5).joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let alone = try ws.disclose("audit", "verify")
        #expect(alone.status == 1, "the signed head file beside the log sees the cut: \(alone)")
        #expect(alone.stdout.contains("the signed head file records entry 7"), "\(alone)")
        let cut = try ws.disclose("audit", "verify", "--bundle", bundle)
        #expect(cut.status == 1)
        #expect(cut.stdout.contains("truncated") && cut.stdout.contains("entry 7"), "\(cut)")

        // A modified middle entry is named.
        var edited = lines.map(String.init)
        edited[2] = edited[2].replacingOccurrences(of: "\"emergency\":false", with: "\"emergency\":true")
        try (edited.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let broken = try ws.disclose("audit", "verify", "--json")
        #expect(broken.status == 1)
        let problems = try #require(Files.jsonObject(broken.stdout)?["problems"] as? [String])
        #expect(problems.first?.contains("entry 4 does not chain to entry 3") == true, "\(broken)")
    }

    @Test func preservationIsSealedNeverExported() throws {
        let ws = try Workspace("disclose-life-pres")
        let request = Workspace.request("06-us-preservation")
        #expect(try ws.disclose("case", "receive", request).status == 0)
        let p = try ws.disclose("preserve", request, "--out", ws.output("preserved"))
        #expect(p.status == 0, "\(p)")
        #expect(Files.tree(ws.output("preserved")).contains("preservation.json"))
        let status = try ws.disclose("status")
        #expect(status.stdout.contains("US-NYDA-PRES-2026-0412  preserved") && status.stdout.contains("preservation_expiry due"), "\(status)")
        #expect(try ws.disclose("case", "extend", "US-NYDA-PRES-2026-0412", "--reference", "renewal").status == 0)
        #expect(try ws.disclose("case", "extend", "US-NYDA-PRES-2026-0412", "--reference", "again").status == 1)
        // Even planned and approved, a preservation request never leaves as a bundle.
        let plan = try ws.approvedPlan(case: "06-us-preservation")
        let e = try ws.disclose("export", plan, "--out", ws.output("bundle"))
        #expect(e.status == 1)
        #expect(e.stderr.contains("preservation instrument"), "\(e)")
        #expect(!Files.exists(ws.output("bundle")))
        #expect(try ws.auditEvents() == ["received", "preserved", "preservation_extended", "planned", "approved", "approved"])
    }

    @Test func concurrentAppendsFromTwoProcessesKeepTheChain() throws {
        let ws = try Workspace("disclose-life-conc")
        let id = "FR-TJP-2026-EPOC-0117"
        #expect(try ws.disclose("case", "receive", Workspace.request(Workspace.case1)).status == 0)
        let perProcess = 25
        let script = """
        for i in $(seq 1 \(perProcess)); do "$DISCLOSE" case no-data \(id) --reason "$TAG-$i" >/dev/null || exit 1; done
        """
        let a = try Run.start("/bin/sh", ["-c", script], in: ws.examples, environment: ["DISCLOSE": Binary.disclose, "TAG": "A"])
        let b = try Run.start("/bin/sh", ["-c", script], in: ws.examples, environment: ["DISCLOSE": Binary.disclose, "TAG": "B"])
        let ra = a.wait(), rb = b.wait()
        #expect(ra.status == 0, "\(ra)")
        #expect(rb.status == 0, "\(rb)")

        let log = AuditLog(path: ws.example("state/audit.jsonl"))
        let v = try log.verify()
        #expect(v.problem == nil, "\(String(describing: v.problem))")
        #expect(v.entries == 1 + 2 * perProcess)
        // Every append is there exactly once, each process's in its own order.
        let reasons = try log.entries().compactMap { $0.string(.reason) }
        #expect(reasons.count == 2 * perProcess)
        #expect(Set(reasons).count == 2 * perProcess)
        for tag in ["A", "B"] {
            #expect(reasons.filter { $0.hasPrefix(tag + "-") } == (1...perProcess).map { "\(tag)-\($0)" })
        }
        // Every line is one complete JSON object (no interleaved bytes).
        for line in try String(contentsOfFile: log.path, encoding: .utf8).split(separator: "\n") {
            #expect(line.hasPrefix("{\"seq\":") && line.hasSuffix("}"))
        }
    }
}
