import Testing
@testable import DiscloseKit
@testable import Records

struct TimeParsingTests {
    // 2024-03-01T00:00:00Z = 1709251200 s.
    static let base: Int64 = 1_709_251_200 * 1_000_000_000

    static let valid: [(String, TimeFormat, Int64)] = [
        ("2024-03-01T00:00:00Z", .rfc3339, base),
        ("2024-03-01t00:00:00z", .rfc3339, base),
        ("2024-03-01 00:00:00Z", .rfc3339, base),
        ("2024-03-01T00:00:00.000Z", .rfc3339, base),
        ("2024-03-01T01:00:00+01:00", .rfc3339, base),
        ("2024-02-29T19:30:00-04:30", .rfc3339, base),
        ("2024-03-01T00:00:00.5Z", .rfc3339, base + 500_000_000),
        ("2024-03-01T00:00:00.123456789Z", .rfc3339, base + 123_456_789),
        ("2024-03-01T00:00:00.1234567891234Z", .rfc3339, base + 123_456_789),
        ("1970-01-01T00:00:00Z", .rfc3339, 0),
        ("1969-12-31T23:59:59Z", .rfc3339, -1_000_000_000),
        ("2000-02-29T00:00:00Z", .rfc3339, 951_782_400 * 1_000_000_000),
        ("1709251200", .epochSeconds, base),
        ("1709251200.25", .epochSeconds, base + 250_000_000),
        ("-1.5", .epochSeconds, -1_500_000_000),
        ("1709251200000", .epochMillis, base),
        ("1709251200000.5", .epochMillis, base + 500_000),
    ]

    @Test(arguments: valid)
    func parsesValidTimes(text: String, format: TimeFormat, nanoseconds: Int64) {
        #expect(TimeParsing.parse(text, format: format) == Instant(nanoseconds: nanoseconds))
    }

    static let invalid: [(String, TimeFormat)] = [
        ("2024-02-30T00:00:00Z", .rfc3339),      // no Feb 30
        ("2023-02-29T00:00:00Z", .rfc3339),      // not a leap year
        ("1900-02-29T00:00:00Z", .rfc3339),      // century, not leap
        ("2024-13-01T00:00:00Z", .rfc3339),      // month 13
        ("2024-00-10T00:00:00Z", .rfc3339),
        ("2024-04-31T00:00:00Z", .rfc3339),
        ("2024-03-01T25:00:00Z", .rfc3339),      // hour 25
        ("2024-03-01T24:00:00Z", .rfc3339),
        ("2024-03-01T10:60:00Z", .rfc3339),
        ("2024-03-01T10:00:60Z", .rfc3339),
        ("2024-03-01T10:00:00", .rfc3339),       // no offset
        ("2024-03-01T10:00:00.Z", .rfc3339),     // empty fraction
        ("2024-03-01T10:00:00+0100", .rfc3339),
        ("2024-03-01T10:00:00+24:00", .rfc3339),
        ("2024-03-01X10:00:00Z", .rfc3339),
        ("2024-03-01", .rfc3339),
        (" 2024-03-01T10:00:00Z", .rfc3339),
        ("1709251200", .rfc3339),
        ("", .epochSeconds),
        ("1.7e9", .epochSeconds),
        ("12a", .epochSeconds),
        ("1.", .epochSeconds),
        ("99999999999999999999", .epochSeconds), // overflow
        ("2024-03-01T00:00:00Z", .epochMillis),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidTimes(text: String, format: TimeFormat) {
        #expect(TimeParsing.parse(text, format: format) == nil)
    }

    @Test func threeFormsAreOneInstant() {
        let a = TimeParsing.parse("2024-03-01T00:00:00.000Z", format: .rfc3339)
        let b = TimeParsing.parse("2024-03-01T01:00:00+01:00", format: .rfc3339)
        let c = TimeParsing.parse("1709251200", format: .epochSeconds)
        let d = TimeParsing.parse("1709251200000", format: .epochMillis)
        #expect(a != nil)
        #expect(a == b && b == c && c == d)
    }

    @Test func parsesRawBytesAndSlices() {
        let bytes = Array("2024-03-01T00:00:00Z".utf8)
        #expect(bytes.withUnsafeBytes { TimeParsing.parse($0, format: .rfc3339) } == Instant(nanoseconds: Self.base))
        #expect(TimeParsing.parse(bytes[...], format: .rfc3339) == Instant(nanoseconds: Self.base))
    }

    @Test func parseDateAcceptsPlainDates() {
        #expect(TimeParsing.parseDate("2024-03-01") == Instant(nanoseconds: Self.base))
        #expect(TimeParsing.parseDate("2024-03-01T00:00:00Z") == Instant(nanoseconds: Self.base))
        #expect(TimeParsing.parseDate("2024-02-30") == nil)
        #expect(TimeParsing.parseDate("2024-3-01") == nil)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (base, "2024-03-01T00:00:00Z"),
        (base + 500_000_000, "2024-03-01T00:00:00.5Z"),
        (base + 1, "2024-03-01T00:00:00.000000001Z"),
        (-1, "1969-12-31T23:59:59.999999999Z"),
    ])
    func formatsUTC(nanoseconds: Int64, text: String) {
        #expect(TimeParsing.format(Instant(nanoseconds: nanoseconds)) == text)
        #expect(TimeParsing.parse(text, format: .rfc3339) == Instant(nanoseconds: nanoseconds))
    }

    @Test func windowBoundsAreInclusive() throws {
        let lines = [
            #"{"account":"A1","ts":"2024-03-01T00:00:00Z","n":1}"#,
            #"{"account":"A1","ts":"2024-03-01T23:59:59.999999999Z","n":2}"#,
            #"{"account":"A1","ts":"2024-03-02T00:00:00Z","n":3}"#,
            #"{"account":"A1","ts":"2024-03-01T00:59:59.999+01:00","n":4}"#,
        ].joined(separator: "\n")
        let window = at("2024-03-01")...at("2024-03-02")
        let (out, stats) = try scopeText(lines, actions: ["account": .disclose, "ts": .disclose, "n": .disclose],
                                         time: "ts", window: window)
        #expect(stats.recordsDisclosed == 3)
        #expect(stats.recordsOutsideWindow == 1)
        #expect(out.contains(#""n":1"#) && out.contains(#""n":2"#) && out.contains(#""n":3"#))
        #expect(!out.contains(#""n":4"#))
    }
}
