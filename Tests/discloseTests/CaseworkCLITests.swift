import DiscloseTestSupport
import Foundation
import Testing
@testable import disclose
import DiscloseKit

/// Issue #17, through the real binary: practice runs that never touch the audit log,
/// voided cases, user notice and non-disclosure orders, the custodian's certificate,
/// export once, and a status that says what is missing.
@Suite struct CaseworkCLITests {
    static let fr = "FR-TJP-2026-EPOC-0117"

    @Test func parsesTheCaseworkOptions() throws {
        #expect(try parse(["plan", "r.json", "--practice"]) == .plan(request: "r.json", config: nil, json: false, out: nil, sample: 0, sampleOut: nil, practice: true))
        #expect(try parse(["approve", "p.json", "--key", "k", "--practice"])
                == .approve(plan: "p.json", key: "k", reject: false, reason: nil, replace: false, passphraseFile: nil, config: nil, practice: true))
        #expect(try parse(["export", "p.json", "--out", "b", "--again", "--reason", "lost"])
                == .export(plan: "p.json", out: "b", config: nil, tar: false, passphraseFile: nil, practice: false, againReason: "lost"))
        #expect(throws: UsageError.self) { try parse(["export", "p.json", "--out", "b", "--again"]) }
        #expect(throws: UsageError.self) { try parse(["export", "p.json", "--out", "b", "--reason", "x"]) }
        #expect(throws: UsageError.self) { try parse(["export", "p.json", "--out", "b", "--practice", "--again", "--reason", "x"]) }
        #expect(try parse(["preserve", "r.json", "--out", "d", "--practice"]) == .lifecycle(.preserve(request: "r.json", out: "d", config: nil, practice: true)))
        #expect(try parse(["case", "void", "ID", "--reason", "test run"]) == .lifecycle(.void(caseID: "ID", reason: "test run", config: nil)))
        #expect(throws: UsageError.self) { try parse(["case", "void", "ID"]) }                // the reason is required
        #expect(try parse(["case", "notified", "ID"]) == .lifecycle(.notified(caseID: "ID", reference: nil, config: nil)))
    }

    // MARK: practice

    @Test func practicePlanApproveExportAndPreserveLeaveTheAuditLogByteIdentical() throws {
        let ws = try Workspace("disclose-practice")
        #expect(try ws.disclose("case", "receive", Workspace.request(Workspace.case1)).status == 0)
        let log = ws.example("state/audit.jsonl")
        let before = try Files.bytes(log)

        let plan = ws.output("practice-plan.json")
        let p = try ws.disclose("plan", Workspace.request(Workspace.case1), "--practice", "--out", plan)
        #expect(p.status == 0, "\(p)")
        #expect(p.stdout.contains("PRACTICE PLAN"))
        #expect(Files.jsonObject(try String(contentsOfFile: plan, encoding: .utf8))?["practice"] as? Bool == true)
        for r in ["DEMO-reviewer-legal.key", "DEMO-reviewer-privacy.key"] {
            let a = try ws.disclose("approve", plan, "--practice", "--key", ws.key(r))
            #expect(a.status == 0, "\(a)")
        }
        let bundle = ws.output("practice-bundle")
        let e = try ws.disclose("export", plan, "--practice", "--out", bundle)
        #expect(e.status == 0, "\(e)")
        let p6 = try ws.disclose("preserve", Workspace.request("06-us-preservation"), "--practice", "--out", ws.output("practice-preserved"))
        #expect(p6.status == 0, "\(p6)")
        #expect(try Files.bytes(log) == before, "a practice run writes nothing to the audit log")

        // Every output is marked.
        let disclosure = try #require(Files.jsonObject(try String(contentsOfFile: bundle + "/disclosure.json", encoding: .utf8)))
        #expect(disclosure["practice"] as? Bool == true)
        let info = try String(contentsOfFile: bundle + "/bag-info.txt", encoding: .utf8)
        #expect(info.contains("Disclose-Practice: PRACTICE\n") && info.contains("External-Description: PRACTICE bundle"))
        #expect(try String(contentsOfFile: bundle + "/certificate.txt", encoding: .utf8).hasPrefix("PRACTICE: THIS IS A PRACTICE BUNDLE"))
        let preserved = try String(contentsOfFile: ws.output("practice-preserved/preservation.json"), encoding: .utf8)
        #expect(Files.jsonObject(preserved)?["practice"] as? Bool == true)
        let v = try ws.disclose("verify", bundle, "--signer", ws.key("DEMO-provider.pub"))
        #expect(v.status == 0, "\(v)")
        #expect(v.stdout.contains("PRACTICE bundle: a rehearsal"))
        #expect(try Files.bytes(log) == before, "verifying a practice bundle where disclose.json is writes nothing either")
        if try StockTool.require(.bagit) {
            let b = try Run.command("python3", ["-c", "import bagit,sys; bagit.Bag(sys.argv[1]).validate(); print('valid')", bundle])
            #expect(b.status == 0, "\(b)")
        }
        // Unlogged, so never a disclosure: the authority cannot decrypt it, the provider's escrow can.
        let escrow = try #require(String(contentsOfFile: ws.key("DEMO-escrow.age.pub"), encoding: .utf8).split(separator: "\n").last.map(String.init))
        #expect((disclosure["recipients"] as? [[String: Any]])?.map { $0["recipient"] as? String } == [escrow])
        #expect((disclosure["recipients"] as? [[String: Any]])?.map { $0["role"] as? String } == ["provider escrow"])
        let authority = try ws.disclose("verify", bundle, "--signer", ws.key("DEMO-provider.pub"), "--identity", ws.key("DEMO-authority-fr.age"))
        #expect(authority.status != 0 && authority.stdout.contains("none of the given identities is among"), "\(authority)")
        let provider = try ws.disclose("verify", bundle, "--signer", ws.key("DEMO-provider.pub"), "--identity", ws.key("DEMO-escrow.age"))
        #expect(provider.status == 0, "\(provider)")
    }

    @Test func practiceAndRealPlansNeverCross() throws {
        let ws = try Workspace("disclose-practice-cross")
        let practice = ws.output("practice.json")
        #expect(try ws.disclose("plan", Workspace.request(Workspace.case1), "--practice", "--out", practice).status == 0)
        for r in ["DEMO-reviewer-legal.key", "DEMO-reviewer-privacy.key"] {
            #expect(try ws.disclose("approve", practice, "--practice", "--key", ws.key(r)).status == 0)
        }
        // A practice plan, fully approved in practice, is refused by a real export and a real approval.
        let asReal = try ws.disclose("export", practice, "--out", ws.output("b1"))
        #expect(asReal.status == 1, "\(asReal)")
        #expect(asReal.stderr.contains("is a PRACTICE plan"))
        #expect(!Files.exists(ws.output("b1")))
        #expect(try ws.disclose("approve", practice, "--key", ws.key("DEMO-reviewer-legal.key")).status == 1)

        // A real plan, fully approved, is refused by a practice export and a practice approval.
        let real = try ws.approvedPlan()
        let asPractice = try ws.disclose("export", real, "--practice", "--out", ws.output("b2"))
        #expect(asPractice.status == 1, "\(asPractice)")
        #expect(asPractice.stderr.contains("is a real plan"))
        #expect(!Files.exists(ws.output("b2")))
        #expect(try ws.disclose("approve", real, "--practice", "--key", ws.key("DEMO-reviewer-legal.key")).status == 1)
        #expect(!(try ws.auditEvents().contains("exported")))

        // The practice plan differs from the real one only by its mark, so its approvals cannot
        // serve the real plan: copying them beside the real plan does not authorize it.
        let fm = FileManager.default
        let realDir = ws.output("real-copy")
        try fm.createDirectory(atPath: realDir, withIntermediateDirectories: true)
        try fm.copyItem(atPath: real, toPath: realDir + "/plan.json")
        for name in Files.names(ws.out) where name.hasPrefix("practice.json.") && name.hasSuffix(".minisig") {
            try fm.copyItem(atPath: ws.output(name), toPath: realDir + "/plan.json" + name.dropFirst("practice.json".count))
        }
        let borrowed = try ws.disclose("export", realDir + "/plan.json", "--out", ws.output("b3"))
        #expect(borrowed.status == 1, "\(borrowed)")
    }

    @Test func anAuthorityIsNeverAnsweredFromAPracticePlan() throws {
        let ws = try Workspace("disclose-practice-hi1")
        let plan = ws.output("hi1.plan")
        #expect(try ws.disclose("plan", "hi1/fr-tj-paris-epoc.xml", "--practice", "--out", plan).status == 0)
        for r in ["DEMO-reviewer-legal.key", "DEMO-reviewer-privacy.key"] {
            #expect(try ws.disclose("approve", plan, "--practice", "--key", ws.key(r)).status == 0)
        }
        let bundle = ws.output("hi1-bundle")
        #expect(try ws.disclose("export", plan, "--practice", "--out", bundle).status == 0)
        let r = try ws.disclose("respond", plan, "--bundle", bundle, "--out", ws.output("answer.xml"))
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.contains("PRACTICE plan"))
        #expect(!Files.exists(ws.output("answer.xml")))
        #expect(try ws.auditEvents().isEmpty)
    }

    // MARK: void

    @Test func aVoidedCaseLeavesStatusAndTheReportButStaysInTheChain() throws {
        let ws = try Workspace("disclose-void")
        // A test run closed as "not a real request" would count as rejected; voided, it counts nowhere.
        let refused = "05-refused-prosecutor-content"
        #expect(try ws.disclose("case", "receive", Workspace.request(refused)).status == 0)
        #expect(try ws.disclose("plan", Workspace.request(refused)).status == 1)
        let id = try #require(Files.jsonObject(try String(contentsOfFile: ws.example(Workspace.request(refused)), encoding: .utf8))?["id"] as? String)
        let before = try ws.disclose("report", "--from", "2026-01-01", "--to", "2026-12-31", "--json")
        #expect((Files.jsonObject(before.stdout)?["total"] as? [String: Any])?["rejected"] as? Int == 1)

        let v = try ws.disclose("case", "void", id, "--reason", "test run, not a real request")
        #expect(v.status == 0, "\(v)")
        #expect(try ws.disclose("case", "void", id, "--reason", "again").status == 1, "voided once")
        #expect(try ws.disclose("case", "close", id).status == 1, "a voided case takes no more events")

        let report = try ws.disclose("report", "--from", "2026-01-01", "--to", "2026-12-31", "--json")
        let doc = try #require(Files.jsonObject(report.stdout))
        let total = try #require(doc["total"] as? [String: Any])
        #expect(total["requests"] as? Int == 0)
        #expect(total["rejected"] as? Int == 0)
        #expect(doc["voided"] as? Int == 1)
        let text = try ws.disclose("report", "--from", "2026-01-01", "--to", "2026-12-31")
        #expect(text.stdout.contains("1 voided case"))

        let status = try ws.disclose("status", "--all", "--json")
        let s = try #require(Files.jsonObject(status.stdout))
        #expect((s["cases"] as? [Any])?.isEmpty == true)
        #expect(s["voided"] as? Int == 1)
        #expect(try ws.auditEvents() == ["received", "planned", "voided"])
        #expect(try ws.disclose("audit", "verify").status == 0)

        // A case that disclosed records is never voided: it stays in the published report.
        _ = try ws.exportedBundle()
        let disclosed = try ws.disclose("case", "void", Self.fr, "--reason", "hide it")
        #expect(disclosed.status == 1, "\(disclosed)")
        #expect(disclosed.stderr.contains("an answer is never voided"))
    }

    // MARK: user notice

    /// Writes a copy of case 1's request with a new id and the given `notice` member
    /// (JSON text, or nil for none); returns its path relative to the Examples copy.
    static func request(_ ws: Workspace, id: String, notice: String?) throws -> String {
        var text = try String(contentsOfFile: ws.example(Workspace.request(Workspace.case1)), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"\(fr)\"", with: "\"\(id)\"")
        if let notice { text = text.replacingOccurrences(of: "\"authority\":", with: "\"notice\": \(notice),\n  \"authority\":") }
        let rel = "cases/\(id).json"
        try text.write(toFile: ws.example(rel), atomically: true, encoding: .utf8)
        return rel
    }

    @Test func noticeStatesAndDeadlinesInStatusAndReport() throws {
        let ws = try Workspace("disclose-notice")
        // The provider's default: notice within 10 days after an order ends, 3 after an emergency.
        let policy = ws.example("policy.json")
        var p = try String(contentsOfFile: policy, encoding: .utf8)
        p = p.replacingOccurrences(of: "\"max_window_days\"", with: "\"user_notice\": {\"before_disclosure\": true, \"days_after_order\": 10, \"days_after_emergency\": 3},\n  \"max_window_days\"")
        try p.write(toFile: policy, atomically: true, encoding: .utf8)

        let allowed = try Self.request(ws, id: "N-ALLOWED", notice: "{\"allowed\": true}")
        let delayed = try Self.request(ws, id: "N-DELAYED", notice: "{\"delayed_until\": \"2026-12-01T00:00:00Z\", \"order_reference\": \"2705(a) order 26-MJ-77\"}")
        let gagged = try Self.request(ws, id: "N-GAGGED", notice: "{\"prohibited_until\": \"2027-06-01T00:00:00Z\", \"order_reference\": \"2705(b) order 26-MJ-78\"}")
        let bad = try Self.request(ws, id: "N-BAD", notice: "{\"prohibited_until\": \"2027-06-01\"}")
        for r in [allowed, delayed, gagged, Workspace.request("04-emergency-threat-to-life")] {
            let x = try ws.disclose("case", "receive", r)
            #expect(x.status == 0, "\(x)")
        }
        let b = try ws.disclose("case", "receive", bad)
        #expect(b.status == 2 && b.stderr.contains("order_reference"), "an order needs its reference:\n\(b)")

        let at = "2026-12-05T00:00:00Z"
        let status = try ws.disclose("status", "--all", "--json", "--at", at)
        #expect(status.status == 0, "\(status)")
        let cases = try #require(Files.jsonObject(status.stdout)?["cases"] as? [[String: Any]])
        func notice(_ id: String) -> [String: Any]? { cases.first { $0["case"] as? String == id }?["notice"] as? [String: Any] }
        #expect(notice("N-ALLOWED")?["state"] as? String == "due")
        #expect(notice("N-ALLOWED")?["due_before_disclosure"] as? Bool == true)
        #expect(notice("N-DELAYED")?["state"] as? String == "due", "the delay ended on 1 December")
        #expect(notice("N-DELAYED")?["until"] as? String == "2026-12-01T00:00:00Z")
        #expect(notice("N-DELAYED")?["due"] as? String == "2026-12-11T00:00:00Z")
        #expect(notice("N-DELAYED")?["order_reference"] as? String == "2705(a) order 26-MJ-77")
        #expect(notice("N-GAGGED")?["state"] as? String == "prohibited")
        #expect(notice("N-GAGGED")?["until"] as? String == "2027-06-01T00:00:00Z")
        #expect(notice("N-GAGGED")?["due"] as? String == "2027-06-11T00:00:00Z")
        // Emergency: notice waits for the emergency to pass (the follow-up deadline, 48 h after receipt).
        let em = try #require(notice("US-FBI-NY-EDR-2026-1127-03"))
        let early = try ws.disclose("status", "--all", "--json", "--at", "2026-11-28T00:00:00Z")
        let earlyEm = (Files.jsonObject(early.stdout)?["cases"] as? [[String: Any]])?.first { $0["case"] as? String == "US-FBI-NY-EDR-2026-1127-03" }?["notice"] as? [String: Any]
        #expect(earlyEm?["state"] as? String == "emergency")
        #expect(earlyEm?["until"] as? String == "2026-11-29T08:12:00Z")
        #expect(em["state"] as? String == "due")
        #expect(em["due"] as? String == "2026-12-02T08:12:00Z")
        #expect(em["overdue"] as? Bool == true)
        let text = try ws.disclose("status", "--all", "--at", at)
        #expect(text.stdout.contains("user notice: prohibited until 2027-06-01T00:00:00Z (order 2705(b) order 26-MJ-78)"), "\(text)")

        // Notice cannot be recorded while an order forbids it; it can once allowed.
        let gag = try ws.disclose("case", "notified", "N-GAGGED")
        #expect(gag.status == 1 && gag.stderr.contains("prohibited until"), "\(gag)")
        #expect(try ws.disclose("case", "notified", "N-DELAYED", "--reference", "email to the account holder").status == 0)
        #expect(try ws.disclose("case", "notified", "N-DELAYED").status == 1, "recorded once")
        let after = try ws.disclose("status", "--all", "--json", "--at", at)
        let given = (Files.jsonObject(after.stdout)?["cases"] as? [[String: Any]])?.first { $0["case"] as? String == "N-DELAYED" }?["notice"] as? [String: Any]
        #expect(given?["state"] as? String == "given")

        let report = try ws.disclose("report", "--from", "2026-11-01", "--to", "2026-11-30", "--json")
        let total = try #require(Files.jsonObject(report.stdout)?["total"] as? [String: Any])
        #expect(total["requests"] as? Int == 4)
        #expect(total["nondisclosure_orders"] as? Int == 2)
        #expect(total["notices_given"] as? Int == 1)
        let csv = try ws.disclose("report", "--from", "2026-11-01", "--to", "2026-11-30", "--csv")
        #expect(csv.stdout.hasPrefix(TransparencyReport.columns.joined(separator: ",")))

        // Nothing of the notice state goes into a plan or a bundle.
        let plan = ws.output("gag-plan.json")
        #expect(try ws.disclose("plan", gagged, "--out", plan).status == 0)
        for r in ["DEMO-reviewer-legal.key", "DEMO-reviewer-privacy.key"] { #expect(try ws.disclose("approve", plan, "--key", ws.key(r)).status == 0) }
        let bundle = try ws.exportedBundle(name: "gag-bundle", plan: plan)
        for file in [plan] + Files.tree(bundle).filter { !$0.hasPrefix("data/") && $0 != "tagmanifest-sha512.txt.minisig" }.map({ bundle + "/" + $0 }) {
            let t = try String(contentsOfFile: file, encoding: .utf8)
            #expect(!t.contains("26-MJ-78") && !t.contains("2027-06-01") && !t.contains("prohibited") && !t.contains("order_reference"), "notice state in \(file)")
        }
        if try StockTool.require(.age) {
            let record = try Run.command("age", ["-d", "-i", ws.key("DEMO-authority-fr.age"), bundle + "/data/record.json.age"])
            #expect(record.status == 0 && !record.stdout.contains("26-MJ-78"))
        }
    }

    // MARK: the custodian's certificate

    @Test func everyRealBundleCarriesASignedCertificateOfItsPayload() throws {
        let ws = try Workspace("disclose-certificate")
        let bundle = try ws.exportedBundle()
        let cert = try String(contentsOfFile: bundle + "/certificate.txt", encoding: .utf8)
        #expect(cert.contains("Federal Rules of Evidence 902(11), 902(13) and 902(14)"))
        #expect(cert.contains("regularly conducted activity"))
        #expect(!cert.contains("PRACTICE"))
        // Listed in the tag manifest, which the provider signed.
        let tags = try String(contentsOfFile: bundle + "/tagmanifest-sha512.txt", encoding: .utf8)
        let certHash = try Run.command("sha512sum", [bundle + "/certificate.txt"]).stdout.prefix(128)
        #expect(tags.contains("\(certHash)  certificate.txt\n"))
        // Names every payload file with its SHA-512 from the manifest.
        let manifest = try String(contentsOfFile: bundle + "/manifest-sha512.txt", encoding: .utf8)
        let lines = manifest.split(separator: "\n")
        #expect(lines.count == 5)
        for line in lines {
            let hash = line.prefix(128), file = line.dropFirst(130)
            #expect(cert.contains("File: \(file)\nSHA-512: \(hash)\nPlaintext-BLAKE2b-512: "), "\(file) certified")
        }
        // No subject identifier, no record value.
        let subjects = ["julien.marchetti@mail.example", "203.0.113.57", "julien", "marchetti"]
        for s in subjects { #expect(!cert.lowercased().contains(s), "\(s) in the certificate") }
        let data = try String(contentsOfFile: ws.example("data/accounts.jsonl"), encoding: .utf8)
        let firstRecord = try #require(Files.jsonObject(String(data.split(separator: "\n")[0])))
        for (_, value) in firstRecord { if let v = value as? String, v.count > 6 { #expect(!cert.contains(v), "record value \(v) in the certificate") } }

        let ok = try ws.disclose("verify", bundle, "--signer", ws.key("DEMO-provider.pub"), "--identity", ws.key("DEMO-authority-fr.age"))
        #expect(ok.status == 0, "\(ok)")
        #expect(ok.stdout.contains("[ok  ] certificate.txt: certifies all 5 payload file(s)"))
        if try StockTool.require(.bagit) {
            let b = try Run.command("python3", ["-c", "import bagit,sys; bagit.Bag(sys.argv[1]).validate(); print('valid')", bundle])
            #expect(b.status == 0, "\(b)")
        }

        // The stock-tool step of VERIFY.txt agrees.
        let step = try #require(try String(contentsOfFile: bundle + "/VERIFY.txt", encoding: .utf8).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("sed -n 's/^SHA-512: ") })
        let stock = try Run.command("bash", ["-c", step], in: bundle)
        #expect(stock.status == 0 && stock.stdout.isEmpty, "\(stock)")

        // Altered: the tag manifest catches it.
        let altered = ws.output("altered")
        try FileManager.default.copyItem(atPath: bundle, toPath: altered)
        try cert.replacingOccurrences(of: "regularly conducted", with: "irregularly conducted").write(toFile: altered + "/certificate.txt", atomically: true, encoding: .utf8)
        let a = try ws.disclose("verify", altered, "--signer", ws.key("DEMO-provider.pub"))
        #expect(a.status == 1)
        #expect(a.stdout.contains("[FAIL] certificate.txt"), "\(a)")
    }

    @Test func verifyFailsWhenTheCertifiedHashesDisagreeWithTheManifest() throws {
        guard try StockTool.require(.minisign) else { return }
        let ws = try Workspace("disclose-certificate-forged")
        let bundle = try ws.exportedBundle()
        // Even signed by the provider's own key, a certificate naming another hash fails.
        var cert = try String(contentsOfFile: bundle + "/certificate.txt", encoding: .utf8)
        let r = try #require(cert.range(of: "SHA-512: "))
        let c = cert[r.upperBound]
        cert.replaceSubrange(r.upperBound...r.upperBound, with: c == "0" ? "1" : "0")
        try cert.write(toFile: bundle + "/certificate.txt", atomically: true, encoding: .utf8)
        let newHash = String(try Run.command("sha512sum", [bundle + "/certificate.txt"]).stdout.prefix(128))
        let tags = try String(contentsOfFile: bundle + "/tagmanifest-sha512.txt", encoding: .utf8).split(separator: "\n").map { line in
            line.hasSuffix("  certificate.txt") ? newHash + "  certificate.txt" : String(line)
        }
        try (tags.joined(separator: "\n") + "\n").write(toFile: bundle + "/tagmanifest-sha512.txt", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: bundle + "/tagmanifest-sha512.txt.minisig")
        let s = try Run.command("minisign", ["-S", "-s", ws.key("DEMO-provider.key"), "-m", "tagmanifest-sha512.txt", "-t", "forged"], in: bundle)
        try #require(s.status == 0, "\(s)")
        let v = try ws.disclose("verify", bundle, "--signer", ws.key("DEMO-provider.pub"))
        #expect(v.status == 1)
        #expect(v.stdout.contains("certified SHA-512 differs from manifest-sha512.txt"), "\(v)")
        #expect(v.stdout.contains("1 check(s) failed"), "only the certificate fails:\n\(v)")
        let step = try #require(try String(contentsOfFile: bundle + "/VERIFY.txt", encoding: .utf8).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("sed -n 's/^SHA-512: ") })
        #expect(try Run.command("bash", ["-c", step], in: bundle).status != 0, "the stock-tool step of VERIFY.txt fails too")
    }

    // MARK: export once

    @Test func aSecondExportOfTheSamePlanIsRefusedAndNamesTheFirstBundle() throws {
        let ws = try Workspace("disclose-export-once")
        let plan = try ws.approvedPlan()
        let first = try ws.disclose("export", plan, "--out", ws.output("b1"))
        try #require(first.status == 0, "\(first)")
        let firstID = try #require(Files.jsonObject(try String(contentsOfFile: ws.output("b1/disclosure.json"), encoding: .utf8))?["bundle_id"] as? String)

        let second = try ws.disclose("export", plan, "--out", ws.output("b2"))
        #expect(second.status == 1, "\(second)")
        #expect(second.stderr.contains("already exported as bundle \(firstID)"))
        #expect(second.stderr.contains(ws.output("b1")))
        #expect(!Files.exists(ws.output("b2")))

        let again = try ws.disclose("export", plan, "--out", ws.output("b2"), "--again", "--reason", "the authority lost the first copy")
        #expect(again.status == 0, "\(again)")
        // The newest `exported` entry (a signed head follows it in the log).
        let entry = try #require(String(contentsOfFile: ws.example("state/audit.jsonl"), encoding: .utf8).split(separator: "\n")
            .compactMap { Files.jsonObject(String($0)) }.last { $0["event"] as? String == "exported" })
        #expect(entry["event"] as? String == "exported")
        #expect(entry["again_reason"] as? String == "the authority lost the first copy")
        #expect(entry["previous_bundles"] as? [String] == [firstID])
        #expect(try ws.auditEvents().filter { $0 == "exported" }.count == 2)
    }

    // MARK: status says what is missing

    @Test func statusShowsApprovalsByRoleRejectionsUnknownKeysAndTheNextCommand() throws {
        let ws = try Workspace("disclose-status-missing")
        let plan = ws.output("plan.json")
        #expect(try ws.disclose("plan", Workspace.request(Workspace.case1), "--out", plan).status == 0)
        #expect(try ws.disclose("approve", plan, "--key", ws.key("DEMO-reviewer-legal.key")).status == 0)
        let stranger = ws.output("stranger.key")
        #expect(try ws.disclose("keygen", "signing", "--out", ws.output("stranger"), "--unencrypted").status == 0)
        // approve refuses a key the policy does not list; an approval by such a key can still
        // stand in the log (a key removed from the policy after it signed): status shows it.
        #expect(try ws.disclose("approve", plan, "--key", stranger).status == 1)
        let strangerKeyID = try #require(String(contentsOfFile: ws.output("stranger.pub"), encoding: .utf8)
            .split(separator: "\n").first?.split(separator: " ").last.map(String.init))
        let planDigest = try #require(Run.command("sha512sum", [plan]).stdout.split(separator: " ").first.map(String.init))
        try AuditLog(path: ws.example("state/audit.jsonl")).append(event: "approved", caseID: "FR-TJP-2026-EPOC-0117", facts: [
            ("plan_sha512", .string(planDigest)), ("key_id", .string(strangerKeyID)), ("reason", .optional(nil))])

        func caseStatus() throws -> [String: Any] {
            let s = try ws.disclose("status", "--json", "--at", "2026-11-15T00:00:00Z")
            return try #require((Files.jsonObject(s.stdout)?["cases"] as? [[String: Any]])?.first)
        }
        var c = try caseStatus()
        #expect(c["state"] as? String == "planned", "two approvals, but one by a key the policy does not know")
        var a = try #require(c["approvals"] as? [String: Any])
        #expect((a["approved"] as? [[String: Any]])?.map { $0["role"] as? String } == ["legal"])
        #expect((a["unknown_keys"] as? [[String: Any]])?.count == 1)
        #expect(a["missing_count"] as? Int == 1)
        #expect(a["missing_roles"] as? [String] == ["privacy"])
        #expect((c["next"] as? String)?.hasPrefix("disclose approve") == true)
        let text = try ws.disclose("status", "--at", "2026-11-15T00:00:00Z")
        #expect(text.stdout.contains("which the policy does not know: not counted"), "\(text)")
        #expect(text.stdout.contains("still required: 1 more approval, including role privacy"))

        #expect(try ws.disclose("approve", plan, "--key", ws.key("DEMO-reviewer-privacy.key")).status == 0)
        c = try caseStatus()
        #expect(c["state"] as? String == "approved")
        #expect((c["next"] as? String)?.hasPrefix("disclose export") == true)

        // A rejection binds: the case is rejected whatever the approvals.
        let other = ws.output("other")
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: plan, toPath: other + "/plan.json")
        #expect(try ws.disclose("approve", other + "/plan.json", "--key", ws.key("DEMO-reviewer-privacy.key"), "--reject", "--reason", "too broad", "--replace").status == 0)
        c = try caseStatus()
        #expect(c["state"] as? String == "rejected")
        a = try #require(c["approvals"] as? [String: Any])
        #expect((a["rejected"] as? [[String: Any]])?.first?["role"] as? String == "privacy")
        #expect((c["next"] as? String)?.contains("disclose plan") == true)
    }
}
