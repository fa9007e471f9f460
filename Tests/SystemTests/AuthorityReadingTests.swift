import DiscloseTestSupport
import Foundation
import Testing

/// What the authority's analyst reads: disclosure.json's window and recipient roles, the
/// record's time fields, summary.html, and VERIFY.txt's steps that never touch the bag.
@Suite struct AuthorityReadingTests {
    /// disclosure.json: the window as sent and in UTC, each recipient's role, each
    /// dataset's time field and format.
    @Test func disclosureCarriesWindowAndRoles() throws {
        let ws = try Workspace("disclose-reading")
        let bundle = try ws.exportedBundle()
        let d = try #require(Files.jsonObject(String(contentsOfFile: bundle + "/disclosure.json", encoding: .utf8)))
        let window = try #require((d["request"] as? [String: Any])?["window"] as? [String: Any])
        #expect(window["from"] as? String == "2026-09-30T22:00:00Z" && window["to"] as? String == "2026-11-14T20:40:00Z")
        let sent = window["as_sent"] as? [String: Any]
        #expect(sent?["from"] as? String == "2026-10-01T00:00:00+02:00" && sent?["to"] as? String == "2026-11-14T21:40:00+01:00")
        let roles = (d["recipients"] as? [[String: Any]] ?? []).map { $0["role"] as? String ?? "?" }
        #expect(roles == ["authority", "provider escrow"], "\(d["recipients"] ?? "none")")
        #expect((d["recipients"] as? [[String: Any]] ?? []).allSatisfy { ($0["recipient"] as? String)?.hasPrefix("age1") == true })
        let messages = (d["datasets"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "messages" }
        #expect(messages?["time_field"] as? String == "sent_at" && messages?["time_format"] as? String == "epoch_ms")
        let accounts = (d["datasets"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "accounts" }
        #expect(accounts?["time_field"] is NSNull, "current-state data has no time field")
    }

    /// verify --extract writes summary.html (0600) from the authenticated record: the
    /// request, each dataset's time field with its format, disclosed and withheld fields.
    @Test func extractWritesSummary() throws {
        let ws = try Workspace("disclose-summary")
        let bundle = try ws.exportedBundle()
        let out = ws.output("plain")
        let v = try ws.disclose("verify", bundle, "--signer", ws.key("DEMO-provider.pub"), "--identity", ws.key("DEMO-authority-fr.age"), "--extract", out)
        try #require(v.status == 0, "\(v)")
        var st = stat()
        #expect(lstat(out + "/summary.html", &st) == 0 && st.st_mode & 0o777 == 0o600)
        let page = try String(contentsOfFile: out + "/summary.html", encoding: .utf8)
        for fact in ["FR-TJP-2026-EPOC-0117", "<code>sent_at</code> (epoch_ms: milliseconds since 1970-01-01T00:00:00Z)",
                     "<span class=\"act pseudonymize\">", "<code>spam_score</code>", "julien.marchetti@mail.example"] {
            #expect(page.contains(fact), "\(fact)")
        }
        #expect(!page.contains("<script") && !page.contains("src="))
        let rec = try #require(Files.jsonObject(String(contentsOfFile: out + "/record.json", encoding: .utf8)))
        let files = (rec["datasets"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "files" }
        #expect(files?["time_field"] as? String == "uploaded_at" && files?["time_format"] as? String == "epoch_s")
    }

    /// VERIFY.txt's Linux steps, run as written: they pass, write nothing inside the
    /// bag, and the bag still passes `disclose verify` and BagIt validation afterwards.
    @Test func verifyStepsLeaveTheBagValid() throws {
        guard try StockTool.require(.minisign, .sha512sum, .b2sum, .age, .bagit) else { return }
        let ws = try Workspace("disclose-verify-steps")
        let bundle = try ws.exportedBundle()
        let before = Files.tree(bundle)
        let text = try String(contentsOfFile: bundle + "/VERIFY.txt", encoding: .utf8)
        #expect(text.contains("Get-FileHash -Algorithm SHA512") && text.contains("shasum -a 512"), "macOS and Windows steps")
        let linux = try #require(text.components(separatedBy: "----- Linux").dropFirst().first?.components(separatedBy: "----- macOS").first)
        var script = "set -euo pipefail\n"
        for line in linux.split(separator: "\n").dropFirst() {
            var l = line.drop { $0 == " " }
            if let dot = l.firstIndex(of: "."), l[..<dot].allSatisfy(\.isNumber), !l[..<dot].isEmpty { l = l[l.index(after: dot)...].drop { $0 == " " } }
            script += l.replacingOccurrences(of: "YOUR-IDENTITY.txt", with: ws.key("DEMO-authority-fr.age")) + "\n"
        }
        let run = try Run.command("bash", ["-c", script], in: bundle)
        #expect(run.status == 0 && !run.output.contains("FAILED"), "\(script)\n\(run)")
        #expect(Files.tree(bundle) == before, "the steps wrote inside the bag")
        let id = try #require(Files.jsonObject(String(contentsOfFile: bundle + "/disclosure.json", encoding: .utf8))?["bundle_id"] as? String)
        let plain = (bundle as NSString).deletingLastPathComponent + "/\(id)-plaintext"
        #expect(Files.names(plain).contains("record.json") && Files.names(plain).contains("logins.jsonl"), "\(Files.names(plain))")
        let v = try ws.disclose("verify", bundle, "--signer", ws.key("DEMO-provider.pub"))
        #expect(v.status == 0, "\(v)")
        let b = try Run.command("python3", ["-c", "import bagit,sys; bagit.Bag(sys.argv[1]).validate(); print('valid')", bundle])
        #expect(b.status == 0 && b.stdout.contains("valid"), "\(b)")
    }
}
