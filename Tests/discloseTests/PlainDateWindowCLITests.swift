import DiscloseTestSupport
import Foundation
import Testing

/// Case 2 is a New York grand jury subpoena for "2026-09-01 – 2026-11-30": plain dates,
/// New York days. Through the real binary: August evening in New York stays out, all of
/// 30 November is in, and the plan shows the window as sent, in New York time and in UTC.
@Suite struct PlainDateWindowCLITests {
    static let request = Workspace.request("02-us-subpoena-content")

    static func logins(_ plan: [String: Any]) -> [String: Int] {
        let ds = (plan["datasets"] as? [[String: Any]])?.first { $0["name"] as? String == "logins" }
        return ds?["records"] as? [String: Int] ?? [:]
    }

    @Test func newYorkDaysDecideWhichLoginsAreDisclosed() throws {
        let ws = try Workspace("disclose-zones")
        let before = try ws.disclose("plan", Self.request, "--json")
        try #require(before.status == 0, "\(before)")
        let base = Self.logins(try #require(Files.jsonObject(before.stdout)))
        // 20:00 in New York on 31 August is 00:00 UTC on 1 September: read as UTC midnights
        // the window disclosed it. 22:00 on 30 November (03:00 UTC on 1 December) is inside.
        try Files.write(Array(("""
        {"account_id":"acc_2045","ts":"2026-08-31T20:00:00-04:00","ip":"198.51.100.140","port":1}
        {"account_id":"acc_2045","ts":"2026-11-30T22:00:00-05:00","ip":"198.51.100.140","port":2}
        {"account_id":"acc_2045","ts":"2026-12-01T00:00:00-05:00","ip":"198.51.100.140","port":3}

        """).utf8), ws.example("data/logins/2026-12.jsonl"))
        let after = try ws.disclose("plan", Self.request, "--json")
        try #require(after.status == 0, "\(after)")
        let plan = try #require(Files.jsonObject(after.stdout))
        let now = Self.logins(plan)
        #expect(now["of_subjects"] == (base["of_subjects"] ?? 0) + 3)
        #expect(now["outside_window"] == (base["outside_window"] ?? 0) + 2, "31 August 20:00 and 1 December 00:00 New York time")
        #expect(now["disclosed"] == (base["disclosed"] ?? 0) + 1, "30 November 22:00 New York time")

        let window = try #require((plan["request"] as? [String: Any])?["window"] as? [String: Any])
        #expect(window["from"] as? String == "2026-09-01T04:00:00Z")
        #expect(window["to"] as? String == "2026-12-01T04:59:59.999999999Z")
        #expect(window["as_sent"] as? [String: String] == ["from": "2026-09-01", "to": "2026-11-30"])
        #expect(window["time_zone"] as? String == "America/New_York")
        #expect(window["local"] as? [String: String] == ["from": "2026-09-01T00:00:00-04:00", "to": "2026-11-30T23:59:59.999999999-05:00"])

        let report = try ws.disclose("plan", Self.request)
        // The report shows the window in the authority's zone, then in UTC (to the second).
        let flat = report.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")   // the report wraps at 80 columns
        #expect(flat.contains("2026-09-01 00:00 -04:00 – 2026-11-30 23:59:59 -05:00 (America/New_York)"), "\(report.stdout.prefix(900))")
        #expect(report.stdout.contains("2026-09-01 04:00 UTC – 2026-12-01 04:59:59 UTC"), "\(report.stdout.prefix(900))")
    }

    @Test func anAuthorityWithoutAZoneRefusesPlainDatesWithExit2() throws {
        let ws = try Workspace("disclose-zones")
        let policy = ws.example("policy.json")
        let text = String(decoding: try Files.bytes(policy), as: UTF8.self)
        try Files.write(Array(text.replacingOccurrences(of: "\"time_zone\": \"America/New_York\",\n", with: "").utf8), policy)
        let r = try ws.disclose("plan", Self.request)
        #expect(r.status == 2, "\(r)")
        #expect(r.stderr.contains("disclose: error:") && r.stderr.contains("request.json") && r.stderr.contains("time_zone"), "\(r)")
        #expect(r.stderr.contains("disclose: hint:"))
        let bad = try ws.disclose("plan", Workspace.request(Workspace.case1))   // explicit offsets, Paris: unaffected
        #expect(bad.status == 0, "\(bad)")
        try Files.write(Array(text.replacingOccurrences(of: "America/New_York", with: "America/Gotham").utf8), policy)
        let unknown = try ws.disclose("plan", Self.request)
        #expect(unknown.status == 2 && unknown.stderr.contains("policy.json") && unknown.stderr.contains("time_zone"), "\(unknown)")
    }

    @Test func reportAndStatusReadPlainDatesInTheConfiguredOrGivenZone() throws {
        let ws = try Workspace("disclose-zones")
        // Received 2026-11-18T10:24:00-05:00 = 15:24 UTC.
        #expect(try ws.disclose("case", "receive", Self.request).status == 0)
        func requests(_ words: String...) throws -> Int? {
            let r = try Run.disclose(["report"] + words + ["--json"], in: ws.examples)
            return (Files.jsonObject(r.stdout)?["total"] as? [String: Any])?["requests"] as? Int
        }
        #expect(try requests("--from", "2026-11-18", "--to", "2026-11-18") == 1, "Paris day (the configuration's zone)")
        #expect(try requests("--from", "2026-11-18", "--to", "2026-11-18", "--time-zone", "Asia/Tokyo") == 0, "in Tokyo it was already 19 November")
        #expect(try requests("--from", "2026-11-19", "--to", "2026-11-19", "--time-zone", "Asia/Tokyo") == 1)
        let config = ws.example("disclose.json")
        let text = String(decoding: try Files.bytes(config), as: UTF8.self)
        try Files.write(Array(text.replacingOccurrences(of: ",\n  \"time_zone\": \"Europe/Paris\"", with: "").utf8), config)
        let refused = try ws.disclose("report", "--from", "2026-11-01", "--to", "2026-11-30")
        #expect(refused.status == 2 && refused.stderr.contains("--time-zone"), "\(refused)")
        let status = try ws.disclose("status", "--at", "2026-11-20")
        #expect(status.status == 2 && status.stderr.contains("disclose: error: --at"), "\(status)")
        let zoned = try ws.disclose("status", "--at", "2026-11-20", "--time-zone", "America/New_York", "--json")
        #expect(zoned.status == 0 && Files.jsonObject(zoned.stdout)?["at"] as? String == "2026-11-20T05:00:00Z", "\(zoned)")
        #expect(try requests("--from", "2026-11-18T00:00:00Z", "--to", "2026-11-19T00:00:00Z") == 1, "RFC 3339 needs no zone")
    }
}
