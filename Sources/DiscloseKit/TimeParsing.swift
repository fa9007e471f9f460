/// Parsing and formatting of record and request times, to nanoseconds since the epoch,
/// so that every textual form of one moment compares equal: `2024-03-01T00:00:00.000Z`,
/// `2024-03-01T01:00:00+01:00` and epoch `1709251200` are the same `Instant`.
///
/// RFC 3339: `YYYY-MM-DD`, a separator `T`, `t` or space, `hh:mm:ss`, optional fraction
/// (any number of digits, truncated to nanoseconds), then `Z`, `z` or `±hh:mm`. Dates are
/// checked against the real calendar (leap years, month lengths); hours 0–23, minutes and
/// seconds 0–59 (leap second 60 is rejected). Epoch forms: an optional `-`, digits, an
/// optional `.` and digits (no exponent, no spaces) — as a JSON number or the text of a
/// JSON string. Results outside what 64-bit nanoseconds hold (1677–2262) are rejected.
public enum TimeParsing {
    /// Parses `bytes` (the decoded text of a JSON string, or a JSON number's text).
    /// Returns nil when the text is not a valid time in `format`.
    public static func parse(_ bytes: UnsafeRawBufferPointer, format: TimeFormat) -> Instant? {
        let b = bytes.bindMemory(to: UInt8.self)
        switch format {
        case .rfc3339: return parseRFC3339(b)
        case .epochSeconds: return parseEpoch(b, digitsPerUnit: 9)
        case .epochMillis: return parseEpoch(b, digitsPerUnit: 6)
        }
    }

    /// Parses a byte slice; see `parse(_:format:)`.
    public static func parse(_ bytes: ArraySlice<UInt8>, format: TimeFormat) -> Instant? {
        bytes.withUnsafeBytes { parse($0, format: format) }
    }

    /// Parses text; see `parse(_:format:)`.
    public static func parse(_ text: String, format: TimeFormat) -> Instant? {
        var t = text
        return t.withUTF8 { parse(UnsafeRawBufferPointer($0), format: format) }
    }

    /// Parses an RFC 3339 date-time, or a plain date `YYYY-MM-DD` as 00:00:00Z of that
    /// day. For Disclose's own records (audit and approval times); dates in requests and
    /// on the command line are calendar days in a time zone: see `LegalTime`.
    public static func parseDate(_ text: String) -> Instant? {
        let u = Array(text.utf8)
        if u.count == 10 {
            return u.withUnsafeBufferPointer { b in
                guard let days = parseDatepart(b) else { return nil }
                return instant(days: days, seconds: 0, offset: 0, fraction: 0)
            }
        }
        return parse(text, format: .rfc3339)
    }

    /// UTC RFC 3339 (`2024-03-01T12:00:00Z`), with a fraction only when it is not zero,
    /// trailing zeros trimmed (`…00.5Z`).
    public static func format(_ i: Instant) -> String {
        let ns = i.nanoseconds
        var secs = ns / 1_000_000_000
        var frac = ns % 1_000_000_000
        if frac < 0 { frac += 1_000_000_000; secs -= 1 }
        var days = secs / 86400
        var sod = secs % 86400
        if sod < 0 { sod += 86400; days -= 1 }
        let (y, m, d) = civil(fromDays: days)
        func pad(_ v: Int64, _ w: Int) -> String {
            let s = String(v)
            return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
        }
        var out = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(sod / 3600, 2)):\(pad(sod / 60 % 60, 2)):\(pad(sod % 60, 2))"
        if frac != 0 {
            var f = pad(frac, 9)
            while f.hasSuffix("0") { f.removeLast() }
            out += "." + f
        }
        return out + "Z"
    }

    // MARK: - Internals

    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ n: Int) -> Int64? {
        guard at + n <= b.count else { return nil }
        var v: Int64 = 0
        for i in at..<(at + n) {
            let d = b[i] &- 0x30
            guard d < 10 else { return nil }
            v = v * 10 + Int64(d)
        }
        return v
    }

    /// `YYYY-MM-DD` at the start of `b`, as days since the epoch.
    private static func parseDatepart(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let y = digits(b, 0, 4), let m = digits(b, 5, 2), let d = digits(b, 8, 2),
              m >= 1, m <= 12, d >= 1, d <= daysInMonth(y, m) else { return nil }
        return days(fromCivil: y, m, d)
    }

    private static func parseRFC3339(_ b: UnsafeBufferPointer<UInt8>) -> Instant? {
        guard b.count >= 20, let days = parseDatepart(b) else { return nil }
        let sep = b[10]
        guard sep == UInt8(ascii: "T") || sep == UInt8(ascii: "t") || sep == UInt8(ascii: " "),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let hh = digits(b, 11, 2), let mm = digits(b, 14, 2), let ss = digits(b, 17, 2),
              hh <= 23, mm <= 59, ss <= 59 else { return nil }
        var p = 19
        var fraction: Int64 = 0
        if b[p] == UInt8(ascii: ".") {
            p += 1
            let s = p
            var scale: Int64 = 100_000_000
            while p < b.count, b[p] &- 0x30 < 10 {
                fraction += Int64(b[p] - 0x30) * scale
                scale /= 10
                p += 1
            }
            guard p > s else { return nil }
        }
        guard p < b.count else { return nil }
        var offset: Int64 = 0
        let z = b[p]
        if z == UInt8(ascii: "Z") || z == UInt8(ascii: "z") {
            p += 1
        } else if z == UInt8(ascii: "+") || z == UInt8(ascii: "-") {
            guard p + 6 == b.count, b[p + 3] == UInt8(ascii: ":"),
                  let oh = digits(b, p + 1, 2), let om = digits(b, p + 4, 2), oh <= 23, om <= 59 else { return nil }
            offset = (oh * 3600 + om * 60) * (z == UInt8(ascii: "+") ? 1 : -1)
            p += 6
        } else {
            return nil
        }
        guard p == b.count else { return nil }
        return instant(days: days, seconds: hh * 3600 + mm * 60 + ss, offset: offset, fraction: fraction)
    }

    private static func instant(days: Int64, seconds: Int64, offset: Int64, fraction: Int64) -> Instant? {
        let secs = days * 86400 + seconds - offset
        let (ns, o1) = secs.multipliedReportingOverflow(by: 1_000_000_000)
        guard !o1 else { return nil }
        let (total, o2) = ns.addingReportingOverflow(fraction)
        guard !o2 else { return nil }
        return Instant(nanoseconds: total)
    }

    /// Epoch text; `digitsPerUnit` is how many fractional digits fit in one unit of ns
    /// (9 for seconds, 6 for milliseconds).
    private static func parseEpoch(_ b: UnsafeBufferPointer<UInt8>, digitsPerUnit: Int) -> Instant? {
        var p = 0
        var negative = false
        if p < b.count && b[p] == UInt8(ascii: "-") { negative = true; p += 1 }
        let s = p
        var whole: Int64 = 0
        while p < b.count, b[p] &- 0x30 < 10 {
            let (m, o1) = whole.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(b[p] - 0x30))
            guard !o1, !o2 else { return nil }
            whole = a
            p += 1
        }
        guard p > s else { return nil }
        var fraction: Int64 = 0
        if p < b.count && b[p] == UInt8(ascii: ".") {
            p += 1
            let fs = p
            var scale: Int64 = 1
            for _ in 1..<digitsPerUnit { scale *= 10 }
            while p < b.count, b[p] &- 0x30 < 10 {
                fraction += Int64(b[p] - 0x30) * scale
                scale /= 10
                p += 1
            }
            guard p > fs else { return nil }
        }
        guard p == b.count else { return nil }
        let unit: Int64 = digitsPerUnit == 9 ? 1_000_000_000 : 1_000_000
        let (ns, o1) = whole.multipliedReportingOverflow(by: unit)
        guard !o1 else { return nil }
        let (total, o2) = ns.addingReportingOverflow(fraction)
        guard !o2 else { return nil }
        return Instant(nanoseconds: negative ? -total : total)
    }

    static func isLeap(_ y: Int64) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(_ y: Int64, _ m: Int64) -> Int64 {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The date of a day count since 1970-01-01.
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
