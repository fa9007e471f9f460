import Testing
@testable import DiscloseKit

/// The record writer finds string ends with memchr; quotes preceded by backslash runs of
/// every parity must still be told apart (regression for the fast string scan).
@Suite("Record writer: escaped quotes and backslash runs")
struct WriterEscapesTests {
    static let values: [String] = [
        #""plain""#,
        #""a \"quoted\" word""#,
        #""ends with a backslash \\""#,
        #""two \\\\ then quote \\\" end""#,
        #""\\\"\\\\\"\\""#,
        #""\"""#,
        "\"" + String(repeating: "x", count: 70_000) + "\\\"" + String(repeating: "y", count: 10) + "\"",
    ]

    @Test("disclosed strings are copied byte for byte and the next field still parses", arguments: values)
    func escapes(_ value: String) throws {
        let line = #"{"account":"A1","body":"# + value + #","after":"kept","gone":"LEAK"}"#
        let (out, stats) = try scopeText(line, actions: ["account": .disclose, "body": .disclose, "after": .disclose, "gone": .withhold])
        #expect(out == #"{"account":"A1","body":"# + value + #","after":"kept"}"# + "\n")
        #expect(stats.recordsDisclosed == 1)
    }
}
