import DiscloseTestSupport
import Foundation
import Testing

/// Issues 14.1, 14.2 and 14.4, end to end: generated records carry a unique canary token
/// in every value and member name that must not leave — objects and arrays under every
/// redaction, maps keyed by identifiers, unmapped names, withheld values, records a
/// fraction of a second outside the window at every fraction length 0–12 — and the test
/// runs plan, approve, export and verify --extract, then searches every byte written
/// or printed (decrypted payloads, clear-text bundle files, plan, audit log, stdout,
/// stderr) for canaries that must not be there.
@Suite("Adversarial records: canaries never leave")
struct AdversarialRecordsTests {
    /// Canary tokens: `never` may appear nowhere; `clear` (unmapped member names) only in
    /// the provider's plan and in the encrypted disclosure record, never in clear text
    /// or in the payload.
    struct Canaries {
        var never: [String] = []
        var clear: [String] = []
        var rng = SplitMixCLI(seed: 0x14_01_02_04)
        mutating func token(_ kind: String, clear isClear: Bool = false) -> String {
            let t = "QZ\(kind)\(String(rng.next() % 1_000_000_000_000, radix: 36).uppercased())"
            if isClear { clear.append(t) } else { never.append(t) }
            return t
        }
        /// A number that must not leave (12 digits).
        mutating func number(clear isClear: Bool = false) -> String {
            let n = "7" + String(format: "%011llu", rng.next() % 100_000_000_000)
            if isClear { clear.append(n) } else { never.append(n) }
            return n
        }
    }

    static var dataset: [String: Any] { [
        "name": "adv", "path": "adv.jsonl", "format": "jsonl", "account_field": "account_id",
        "time_field": "ts", "time_format": "rfc3339",
        "fields": [
            "account_id": ["category": "traffic"], "ts": ["category": "traffic"], "note": ["category": "traffic"],
            "to": ["category": "traffic", "third_party": true],                           // policy default: pseudonymize
            "cc": ["category": "traffic", "third_party": true, "redaction": "mask"],
            "addr": ["category": "identification", "third_party": true, "redaction": "ip_prefix"],
            "hdr": ["category": "traffic", "third_party": true, "redaction": "mask"],
            "hdr.kind": ["category": "traffic"],
            "contacts.work": ["category": "traffic"],
            "attachments[].size": ["category": "traffic"],
            "secret": ["category": "never"],
        ],
    ] }

    /// A value of every JSON shape for a redacted field, canaries in every name and value.
    static func redactedValues(_ c: inout Canaries) -> [String] {
        func s(_ v: String) -> String { "\"\(v)\"" }
        return [
            s(c.token("S")),
            c.number(),
            "true", "false", "null", "[]", "{}",
            "{\(s(c.token("N") + "@example.org")):\(s(c.token("V")))}",
            "{\(s("+3361" + c.number())):\(s(c.token("V"))),\(s(c.token("N"))):{\(s(c.token("N"))):[\(s(c.token("V")))]}}",
            "[\(s(c.token("A"))),{\(s(c.token("N") + "@example.org")):\(s(c.token("V")))},[\(s(c.token("A"))),{\(s(c.token("N"))):1}],\(c.number()),true]",
            "[{\(s(c.token("N"))):\(s("10.1.2.3"))},\(s(c.token("A")))]",
        ]
    }

    static func records(_ c: inout Canaries) -> (lines: [String], mustAppear: [String]) {
        var lines: [String] = []
        var mustAppear: [String] = []
        func record(ts: String, note: String, extra: String = "") -> String {
            #"{"account_id":"acc_1042","ts":"\#(ts)","note":"\#(note)""# + extra + "}"
        }
        // Inside the window: every shape under every redaction.
        let values = redactedValues(&c)
        for (i, v) in values.enumerated() {
            let w = values[(i + 3) % values.count], x = values[(i + 7) % values.count]
            let unmappedName = c.token("U", clear: true)
            let topName = c.token("T", clear: true)
            let extra = #","to":\#(v),"cc":\#(w),"addr":\#(x),"hdr":{"kind":"mail","\#(c.token("N"))@example.org":"\#(c.token("V"))","sub":{"\#(c.token("N"))":\#(v)}},"#
                + #""contacts":{"work":"ok-work","\#(unmappedName)@example.org":"\#(c.token("V"))","+33\#(c.number(clear: true))":\#(v)},"#
                + #""\#(topName)":"\#(c.token("V"))","secret":"\#(c.token("V"))","attachments":[]"#
            lines.append(record(ts: "2026-10-15T12:00:00Z", note: "INSIDE-\(i)", extra: extra))
            mustAppear.append("INSIDE-\(i)")
        }
        // Window bounds (2026-09-30T22:00:00Z … 2026-11-14T20:40:00Z) at every fraction length.
        for k in 0...12 {
            let zeros = k == 0 ? "" : "." + String(repeating: "0", count: k)
            lines.append(record(ts: "2026-11-14T20:40:00\(zeros)Z", note: "AT-END-\(k)"))
            lines.append(record(ts: "2026-09-30T22:00:00\(zeros)Z", note: "AT-START-\(k)"))
            mustAppear += ["AT-END-\(k)", "AT-START-\(k)"]
            guard k > 0 else { continue }
            let later = "." + String(repeating: "0", count: k - 1) + "1"
            lines.append(record(ts: "2026-11-14T20:40:00\(later)Z", note: c.token("LATE")))
            lines.append(record(ts: "2026-11-14T21:40:00\(later)+01:00", note: c.token("LATE")))
            lines.append(record(ts: "2026-09-30T21:59:59." + String(repeating: "9", count: k) + "Z", note: c.token("EARLY")))
        }
        return (lines, mustAppear)
    }

    @Test("plan, approve, export, verify --extract: no canary in any output byte")
    func canariesNeverLeave() throws {
        let ws = try Workspace("disclose-adversarial")
        var c = Canaries()
        let (lines, mustAppear) = Self.records(&c)
        try Files.write(Array((lines.joined(separator: "\n") + "\n").utf8), ws.example("data/adv.jsonl"))
        var map = try #require(JSONSerialization.jsonObject(with: Data(Files.bytes(ws.example("datamap.json")))) as? [String: Any])
        map["datasets"] = (map["datasets"] as! [Any]) + [Self.dataset]
        try JSONSerialization.data(withJSONObject: map).write(to: URL(fileURLWithPath: ws.example("datamap.json")))

        var runs: [Run] = []
        func run(_ args: String...) throws -> Run {
            let r = try Run.disclose(args, in: ws.examples)
            #expect(r.status == 0 && !r.signalled, "\(r)")
            runs.append(r)
            return r
        }
        let plan = ws.output("plan.json")
        let planRun = try run("plan", Workspace.request(Workspace.case1), "--out", plan)
        _ = try run("approve", plan, "--key", ws.key("DEMO-reviewer-legal.key"))
        _ = try run("approve", plan, "--key", ws.key("DEMO-reviewer-privacy.key"))
        let bundle = ws.output("bundle")
        _ = try run("export", plan, "--out", bundle)
        let extract = ws.output("extract")
        let verify = try run("verify", bundle, "--signer", ws.key("DEMO-provider.pub"), "--identity", ws.key("DEMO-authority-fr.age"),
                             "--extract", extract)
        #expect(verify.stdout.contains("VERIFIED"))
        // The other clear-text answers: case status, the transparency report, the audit check.
        for args in [["status"], ["report", "--json"], ["audit", "verify"]] {
            let r = try Run.disclose(args, in: ws.examples)
            #expect(!r.signalled, "\(r)")
            runs.append(r)
        }

        // Where the unmapped names may be: the plan and the encrypted record, decrypted.
        let record = extract + "/record.json"
        // summary.html is the decrypted record rendered for reading, beside it in the
        // extraction directory (0600): it may name what the record names, nothing more.
        let allowedClear: Set<String> = [plan, record, extract + "/summary.html"]
        var files = [ws.example("state/audit.jsonl"), plan] + Files.tree(bundle).map { bundle + "/" + $0 }
        files += Files.tree(extract).map { extract + "/" + $0 }
        #expect(files.contains(record) && files.contains(extract + "/adv.jsonl") && files.contains(bundle + "/disclosure.json"))
        var found: [String] = []
        for path in files {
            let bytes = try Files.bytes(path)
            for t in c.never where bytes.firstRange(of: Array(t.utf8)) != nil { found.append("\(t) in \(path)") }
            if !allowedClear.contains(path) {
                for t in c.clear where bytes.firstRange(of: Array(t.utf8)) != nil { found.append("\(t) in \(path)") }
            }
        }
        for r in runs {
            for t in c.never where r.output.contains(t) { found.append("\(t) in the output of \(r.command.dropFirst().prefix(1))") }
            // plan's own report is for the provider (it lists unmapped paths, as the plan file does).
            if r.command != planRun.command {
                for t in c.clear where r.output.contains(t) { found.append("\(t) in the output of \(r.command.dropFirst().prefix(1))") }
            }
        }
        #expect(found.isEmpty, "\(found.count) canaries leaked:\n\(found.prefix(40).joined(separator: "\n"))")

        // The payload still holds what it should: the records inside the window (bounds
        // included at every fraction length), mapped names, kept empty arrays.
        let payload = String(decoding: try Files.bytes(extract + "/adv.jsonl"), as: UTF8.self)
        for m in mustAppear { #expect(payload.contains("\"\(m)\""), "\(m) missing") }
        #expect(payload.contains(#""work":"ok-work""#) && payload.contains(#""kind":"mail""#) && payload.contains(#""attachments":[]"#))
        // The clear manifest summarises unmapped names; the plan counts the too-fine times.
        let manifest = try #require(Files.jsonObject(String(decoding: try Files.bytes(bundle + "/disclosure.json"), as: UTF8.self)))
        let adv = try #require((manifest["datasets"] as? [[String: Any]])?.first { $0["name"] as? String == "adv" })
        let unmapped = (adv["unmapped"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
        #expect(Set(unmapped) == ["*", "contacts.*"])
        let planJSON = try #require(Files.jsonObject(String(decoding: try Files.bytes(plan), as: UTF8.self)))
        let planAdv = try #require((planJSON["datasets"] as? [[String: Any]])?.first { $0["name"] as? String == "adv" })
        let counts = try #require(planAdv["records"] as? [String: Int])
        #expect(counts["unparseable_time"] == 3 * 3 + 0, "\(counts)")   // k = 10, 11, 12: late (Z and +01:00) and early
        #expect(counts["outside_window"] == 3 * 9, "\(counts)")
        #expect(counts["disclosed"] == mustAppear.count, "\(counts)")
    }
}

/// SplitMix64, for reproducible canary tokens.
struct SplitMixCLI {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
