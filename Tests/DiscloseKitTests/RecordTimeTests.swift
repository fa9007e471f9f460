import DiscloseTestSupport
import Testing
@testable import DiscloseKit
@testable import Records

/// Issue 14.4: record times finer than a nanosecond are never truncated into a window.
struct RecordTimeTests {
    /// A window's end, and records just after it (one unit of the last of `k` fraction
    /// digits), exactly at it (`k` zero digits), and just before it, for k = 0…12.
    @Test func windowBoundsAtEveryFractionLength() throws {
        let end = at("2024-03-31T12:00:00Z")
        var lines: [String] = [], epoch: [String] = []
        var inside = 0, after = 0, tooFine = 0
        for k in 0...12 {
            let zeros = String(repeating: "0", count: k)
            lines.append(#"{"account":"A1","ts":"2024-03-31T12:00:00"# + (k == 0 ? "" : "." + zeros) + #"Z","n":"at-\#(k)"}"#)
            inside += 1
            guard k > 0 else { continue }
            let later = "." + String(repeating: "0", count: k - 1) + "1"
            let earlier = "." + String(repeating: "9", count: k)
            lines.append(#"{"account":"A1","ts":"2024-03-31T12:00:00"# + later + #"Z","n":"after-\#(k)"}"#)
            lines.append(#"{"account":"A1","ts":"2024-03-31T11:59:59"# + earlier + #"Z","n":"before-\#(k)"}"#)
            if k <= 9 { after += 1; inside += 1 } else { tooFine += 2 }
            // The same instant as epoch seconds, as text and as a number.
            epoch.append(#"{"account":"A1","ts":"1711886400"# + later + #"","n":"epoch-after-\#(k)"}"#)
            epoch.append(#"{"account":"A1","ts":1711886400"# + later + #","n":"epoch-after-\#(k)"}"#)
        }
        let (out, stats) = try scopeText(lines.joined(separator: "\n"), actions: ["account": .disclose, "ts": .disclose, "n": .disclose],
                                         time: "ts", window: at("2024-03-01")...end)
        #expect(!out.contains("after-"))
        #expect(!out.contains("before-10") && !out.contains("before-11") && !out.contains("before-12"))
        #expect(stats.recordsDisclosed == inside)
        #expect(stats.recordsOutsideWindow == after)
        #expect(stats.recordsWithUnparseableTime == tooFine)

        let dir = try! TempDir("disclose-engine")
        let f = dir.file("e.jsonl", epoch.joined(separator: "\n"))
        let (eout, estats) = try runScope(makeScope([f], timeFormat: .epochSeconds, window: at("2024-03-01")...end,
                                                    actions: ["account": .disclose, "ts": .disclose, "n": .disclose]))
        #expect(eout.isEmpty)
        #expect(estats.recordsOutsideWindow == 18 && estats.recordsWithUnparseableTime == 6)
    }

    @Test func exactnessRule() {
        func exact(_ s: String, _ d: Int) -> Bool { Array(s.utf8).withUnsafeBytes { RecordTime.isExact($0, digits: d) } }
        #expect(exact("2024-03-31T12:00:00Z", 9))
        #expect(exact("2024-03-31T12:00:00.123456789000Z", 9))
        #expect(!exact("2024-03-31T12:00:00.1234567891Z", 9))
        #expect(exact("1.1234567", 6) == false && exact("1.1234560", 6))
        let t = Array("1711886400000.0000001".utf8).withUnsafeBytes { RecordTime.parse($0, format: .epochMillis) }
        #expect(t == nil)
    }
}
