import DiscloseTestSupport
import Foundation
import Testing
@testable import DiscloseKit

/// Nothing that is withheld or unmapped may reach the output, and the disclosed records
/// are exactly those an independent, naive filter selects.
struct LeakTests {
    /// Deterministic pseudo-random generator so the test data is reproducible.
    struct LCG {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    @Test func markersNeverLeakAndCountsMatchANaiveFilter() throws {
        var rng = LCG(state: 42)
        let accounts = ["A1", "A2", "B1", "B2", "C\\u0031", "a1"]
        var lines: [String] = []
        var expected = 0
        let start = at("2024-03-01"), end = at("2024-03-31")
        for i in 0..<3000 {
            let acc = accounts[rng.next(accounts.count)]
            let day = 1 + rng.next(60)  // some days fall outside March
            let month = day > 31 ? 4 : 3
            let d = day > 31 ? day - 31 : day
            let ts = String(format: "2024-%02d-%02dT12:00:00Z", month, d)
            let hasTime = rng.next(20) != 0
            var fields = ["\"account\":\"\(acc)\""]
            if hasTime { fields.append("\"ts\":\"\(ts)\"") }
            fields.append("\"body\":\"hello \(i)\"")
            fields.append("\"password\":\"LEAK-MARKER-PW-\(i)\"")
            fields.append("\"unmapped_\(i % 5)\":{\"x\":\"LEAK-MARKER-UNMAPPED-\(i)\"}")
            fields.append("\"profile\":{\"name\":\"N\(i)\",\"risk\":\"LEAK-MARKER-RISK\"}")
            fields.append("\"to\":[\"LEAK-MARKER-TO-\(i)@example.org\"]")
            lines.append("{" + fields.joined(separator: ",") + "}")
            // The independent filter: decoded account in the subject set, time present and in March.
            let decoded = acc.replacingOccurrences(of: "\\u0031", with: "1")
            let inWindow = hasTime && TimeParsing.parse(ts, format: .rfc3339).map { (start...end).contains($0) } == true
            if ["A1", "C1"].contains(decoded) && inWindow { expected += 1 }
        }
        let dir = try! TempDir("disclose-engine")
        let f = dir.file("m.jsonl", lines.joined(separator: "\n"))
        let s = makeScope([f], window: start...end, accounts: ["A1", "C1"],
                          actions: ["account": .disclose, "ts": .disclose, "body": .disclose, "password": .withhold,
                                    "profile": .disclose, "profile.risk": .withhold, "to[]": .pseudonymize],
                          key: FieldActionTests.key(9))
        let (out, stats) = try runScope(s)
        #expect(!out.contains("LEAK-MARKER"))
        #expect(!out.contains("password") && !out.contains("unmapped_"))
        #expect(stats.recordsDisclosed == expected)
        #expect(out.split(separator: "\n").count == expected)
        #expect(stats.unmappedFields.values.reduce(0, +) == expected)
        #expect(stats.fieldActions["password"] == ["withhold": expected])
        // Every output line is valid JSON.
        for line in out.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil)
        }

        // The same data as CSV.
        var csv = "account,ts,body,password,note\r\n"
        for (i, line) in lines.enumerated() {
            let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            csv += "\(obj["account"]!),\(obj["ts"] ?? ""),\"hello, \(i)\",LEAK-MARKER-PW,\"LEAK-MARKER-NOTE\r\n\"\r\n"
        }
        let g = dir.file("m.csv", csv)
        let cs = makeScope([g], format: .csv, window: start...end, accounts: ["A1", "C1"],
                           actions: ["account": .disclose, "ts": .disclose, "body": .disclose, "password": .withhold])
        let (cout, cstats) = try runScope(cs)
        #expect(!cout.contains("LEAK-MARKER"))
        // JSONSerialization decodes C\u0031 to C1, so the CSV holds decoded ids: same count.
        #expect(cstats.recordsDisclosed == expected)
        #expect(cstats.unmappedFields == ["note": expected])
    }
}
