/// The transparency report split into half-years (January–June, July–December, UTC), for
/// the chart's period-over-period view.
extension TransparencyReport {
    /// One report per half-year that [from, to) touches, each clipped to the range.
    public static func halfYears(_ histories: [CaseHistory], from: Instant, to: Instant) -> [TransparencyReport] {
        guard from < to, let year = Int(from.description.prefix(4)) else { return [] }
        var out: [TransparencyReport] = []
        var y = year, h = Int(from.description.dropFirst(5).prefix(2)) ?? 1 <= 6 ? 0 : 1
        while out.count < 200 {
            guard let start = TimeParsing.parseDate(String(format: "%04d-%02d-01", y, h == 0 ? 1 : 7)),
                  let end = TimeParsing.parseDate(String(format: "%04d-%02d-01", h == 0 ? y : y + 1, h == 0 ? 7 : 1)) else { break }
            if start >= to { break }
            out.append(build(histories, from: max(start, from), to: min(end, to)))
            if h == 1 { y += 1 }
            h = 1 - h
        }
        return out
    }
}
