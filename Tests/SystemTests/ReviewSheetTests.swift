import DiscloseTestSupport
import Foundation
import Testing

/// The reviewer's sheet (`plan --html`, `review PLAN --html`) and the terminal report:
/// what two reviewers read before they sign.
@Suite struct ReviewSheetTests {
    static let cases: [(String, String)] = [
        ("01-eu-epoc-paris", "request.json"), ("02-us-subpoena-content", "request.json"),
        ("03-us-warrant-content", "request.json"), ("04-emergency-threat-to-life", "request.json"),
        ("05-refused-prosecutor-content", "request.json"), ("05-refused-prosecutor-content", "request-expired.json"),
        ("06-us-preservation", "request.json"),
    ]

    /// Every example case's sheet: 0600, the plan's full SHA-512, the verdict, each
    /// dataset's description and every field's action; and it renders in Chromium.
    @Test func everyExampleSheetRendersInChromium() throws {
        let ws = try Workspace("disclose-sheet")
        let map = try #require(Files.jsonObject(String(contentsOfFile: ws.example("datamap.json"), encoding: .utf8)))
        let descriptions = (map["datasets"] as? [[String: Any]] ?? []).compactMap { $0["description"] as? String }
        let browser = try StockTool.require(.chromium)
        for (name, file) in Self.cases {
            let plan = ws.output("\(name)-\(file).plan"), html = ws.output("\(name)-\(file).html")
            let r = try ws.disclose("plan", Workspace.request(name, file), "--out", plan, "--html", html)
            try #require(r.status == 0 || r.status == 1, "\(r)")
            var st = stat()
            #expect(lstat(html, &st) == 0 && st.st_mode & 0o777 == 0o600, "\(name): sheet mode")
            let page = try String(contentsOfFile: html, encoding: .utf8)
            let digest = try #require(Run.command("sha512sum", [plan]).stdout.split(separator: " ").first.map(String.init))
            #expect(page.contains(digest), "\(name): full plan digest")
            let doc = try #require(Files.jsonObject(String(contentsOfFile: plan, encoding: .utf8)))
            #expect(page.contains("disclose approve \(plan) --key") == (doc["verdict"] as? String != "refused"), "\(name): approve command")
            let verdict = ["disclose": "DISCLOSE", "no_data": "NO DATA FOUND", "refused": "REFUSED"][doc["verdict"] as? String ?? ""] ?? "?"
            #expect(page.contains("<p class=\"word\">\(verdict)</p>"), "\(name): verdict")
            for d in doc["datasets"] as? [[String: Any]] ?? [] {
                for f in d["fields"] as? [[String: Any]] ?? [] {
                    #expect(page.contains("<code>\(f["path"] as? String ?? "?")</code>"), "\(name): field \(f["path"] ?? "?")")
                    #expect(page.contains("<span class=\"act \(f["action"] as? String ?? "?")\">"), "\(name): action")
                }
                if !(doc["datasets"] as? [Any] ?? []).isEmpty {
                    #expect(descriptions.contains { page.contains(Self.escaped($0)) }, "\(name): descriptions")
                }
            }
            for token in ["<script", "src=", "href=", "url(", "@import"] { #expect(!page.contains(token), "\(name): \(token)") }
            guard browser else { continue }
            let png = ws.output("\(name)-\(file).png")
            let shot = try Browser.screenshot(html, to: png)
            #expect(shot.status == 0, "\(shot)")
            #expect(Browser.isPNG(png), "\(name): no PNG rendered\n\(shot)")
            if ProcessInfo.processInfo.environment["DISCLOSE_KEEP_PNG"] != nil { try? FileManager.default.copyItem(atPath: png, toPath: "/tmp/\(name)-\(file).png") }
        }
        // Each description appears in case 01's sheet (all four datasets are planned).
        let page = try String(contentsOfFile: ws.output("01-eu-epoc-paris-request.json.html"), encoding: .utf8)
        for d in descriptions { #expect(page.contains(Self.escaped(d)), "description \(d)") }
    }

    /// A hostile request and data map cannot put markup into the sheet: every value is escaped.
    @Test func hostileValuesAreEscaped() throws {
        let ws = try Workspace("disclose-sheet-hostile")
        let evil = "<script>alert(1)</script><img src=x onerror=alert(2)>\"&"
        let req = ws.example(Workspace.request(Workspace.case1))
        var text = try String(contentsOfFile: req, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"EPOC 2026/117", with: "\"EPOC 2026/117 \(Self.jsonString(evil))")
        try Files.write(Array(text.utf8), req)
        let mapPath = ws.example("datamap.json")
        var map = try String(contentsOfFile: mapPath, encoding: .utf8)
        map = map.replacingOccurrences(of: "\"Messages sent from the account", with: "\"\(Self.jsonString(evil)) Messages sent from the account")
        try Files.write(Array(map.utf8), mapPath)
        let html = ws.output("evil.html")
        let r = try ws.disclose("plan", Workspace.request(Workspace.case1), "--html", html, "--sample", "2")
        try #require(r.status == 0, "\(r)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(!page.contains("<script") && !page.contains("<img"), "markup got through")
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&amp;"))
        #expect(page.contains("contains personal data"), "the sample banner")
        #expect(page.contains("<mark class=\"redacted\">pn:"), "pseudonyms marked in the sample")
    }

    /// `review PLAN` reads a saved plan back, with the approvals found beside it and
    /// what is still required; `--html` never overwrites.
    @Test func reviewShowsApprovalsSoFar() throws {
        let ws = try Workspace("disclose-review")
        let plan = try ws.approvedPlan(reviewers: ["DEMO-reviewer-legal.key"])
        let html = ws.output("review.html")
        let r = try ws.disclose("review", plan, "--html", html)
        try #require(r.status == 0, "\(r)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<td>approve</td>") && page.contains("<td>legal</td>"), "the legal approval")
        #expect(page.contains("no approval by a reviewer with role &#39;privacy&#39;") || page.contains("no approval by a reviewer with role 'privacy'"))
        #expect(page.contains("Current subscriber records"), "descriptions from the data map at hand")
        let again = try ws.disclose("review", plan, "--html", html)
        #expect(again.status == 2 && again.stderr.contains("already exists"), "\(again)")
        #expect(try String(contentsOfFile: html, encoding: .utf8) == page)
        // Elsewhere (no disclose.json): every fact of the plan, and a note on what is missing.
        let away = try Run.disclose(["review", plan], in: ws.out)
        #expect(away.status == 0, "\(away)")
        #expect(away.stdout.contains("were not at hand") && away.stdout.split(separator: "\n").last?.hasPrefix("VERDICT: DISCLOSE") == true, "\(away)")
    }

    /// Case 01's report: at most 70 lines of at most 100 columns, verdict first and last,
    /// data-map descriptions, no escape sequences when not a TTY.
    @Test func case01ReportFitsTheScreen() throws {
        let ws = try Workspace("disclose-report")
        let r = try ws.disclose("plan", Workspace.request(Workspace.case1), "--out", ws.output("01.plan"))
        try #require(r.status == 0, "\(r)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count <= 70, "\(lines.count) lines\n\(r.stdout)")
        #expect(lines.allSatisfy { $0.count <= 100 }, "a line over 100 columns\n\(r.stdout)")
        #expect(lines.filter { $0.count > 80 }.count <= 2, "lines over 80 columns\n\(r.stdout)")
        #expect(lines.first?.hasPrefix("VERDICT: DISCLOSE") == true && lines.last?.hasPrefix("VERDICT: DISCLOSE") == true, "\(r.stdout)")
        #expect(r.stdout.contains("Authentication log: one record per successful login"), "descriptions")
        #expect(!r.stdout.contains("\u{1B}"), "escape sequences without a TTY")
        #expect(r.stdout.components(separatedBy: "Regulation (EU) 2023/1543 (European Production Order)").count == 2, "the legal basis said once\n\(r.stdout)")
    }

    /// With the authority's time zone in the policy, times are local with UTC beside;
    /// an unknown zone is an input error naming the field.
    @Test func authorityTimeZone() throws {
        let ws = try Workspace("disclose-zone")
        let policy = ws.example("policy.json")
        let text = try String(contentsOfFile: policy, encoding: .utf8)
        #expect(text.contains("\"time_zone\": \"Europe/Paris\""), "the example policy names the authority's zone")
        let r = try ws.disclose("plan", Workspace.request(Workspace.case1))
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("2026-10-01 00:00 +02:00 – 2026-11-14 21:40 +01:00 (Europe/Paris)"), "\(r.stdout)")
        #expect(r.stdout.contains("2026-09-30 22:00 UTC – 2026-11-14 20:40 UTC"), "\(r.stdout)")
        try Files.write(Array(text.replacingOccurrences(of: "\"time_zone\": \"Europe/Paris\"", with: "\"time_zone\": \"Europe/Lutetia\"").utf8), policy)
        let bad = try ws.disclose("plan", Workspace.request(Workspace.case1))
        #expect(bad.status == 2 && bad.stderr.contains("time_zone") && bad.stderr.contains("Europe/Lutetia"), "\(bad)")
    }

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func jsonString(_ s: String) -> String { s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") }
}

/// The transparency chart as a browser draws it.
@Suite struct ChartRenderTests {
    @Test func chartRendersInChromium() throws {
        let ws = try Workspace("disclose-chart")
        #expect(try ws.disclose("case", "receive", Workspace.request(Workspace.case1)).status == 0)
        let svg = ws.output("chart.svg")
        let r = try ws.disclose("report", "--from", "2026-01-01", "--to", "2027-03-31", "--chart", svg)
        try #require(r.status == 0, "\(r)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.contains("Example Mail SAS: law enforcement requests, "), "\(text.prefix(600))")
        #expect(text.contains(">2026 H2</text>") && text.contains(">1 · 100 %</text>"), "\(text)")
        guard try StockTool.require(.chromium) else { return }
        let png = ws.output("chart.png")
        let shot = try Browser.screenshot(svg, to: png, width: 900, height: 950)
        #expect(shot.status == 0 && Browser.isPNG(png, minimumBytes: 4_000), "\(shot)")
    }
}

/// Values from a request, a data map or the records never reach the terminal as control
/// characters: a hostile value cannot recolour, hide or rewrite what the reviewer reads.
@Suite struct TerminalInjectionTests {
    @Test func controlCharactersNeverReachTheTerminal() throws {
        let ws = try Workspace("disclose-tty-inject")
        let req = ws.example(Workspace.request(Workspace.case1))
        let text = try String(contentsOfFile: req, encoding: .utf8)
        try Files.write(Array(text.replacingOccurrences(of: "\"EPOC 2026/117", with: "\"\\u001b[2J\\u001b[1A\\u009bEPOC 2026/117").utf8), req)
        let map = ws.example("datamap.json")
        let mapText = try String(contentsOfFile: map, encoding: .utf8)
        try Files.write(Array(mapText.replacingOccurrences(of: "\"Cloud drive uploads", with: "\"\\u001b]0;pwned\\u0007Cloud drive uploads").utf8), map)
        try Files.append("acc_1042,1791001900,x.txt,10,abc,,198.51.100.1\u{1B}[31m\n", ws.example("data/files.csv"))
        let plan = ws.output("plan.json")
        let p = try ws.disclose("plan", Workspace.request(Workspace.case1), "--out", plan, "--sample", "50", "--html", ws.output("s.html"))
        try #require(p.status == 0, "\(p)")
        #expect(!p.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\r" || (0x7F...0x9F).contains($0.value) }, "\(p.stdout)")
        #expect(p.stdout.contains("\u{FFFD}[2J"), "replaced, not dropped")
        let a = try ws.disclose("approve", plan, "--key", ws.key("DEMO-reviewer-legal.key"))
        #expect(a.status == 0 && !a.stdout.contains("\u{1B}") && a.stdout.contains("\u{FFFD}[2J"), "\(a)")
        let r = try ws.disclose("review", plan)
        #expect(r.status == 0 && !r.stdout.contains("\u{1B}") && !r.stdout.contains("\u{07}"), "\(r)")
    }
}
