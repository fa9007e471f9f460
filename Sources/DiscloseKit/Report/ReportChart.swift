/// The transparency report as a self-contained SVG chart a transparency team can publish:
/// one stacked bar per country (outcome buckets) with every value printed on the chart
/// (not only in tooltips, which a PNG or paper loses), shares in percent, durations in
/// readable units, the provider and the period in the title, an explicit message for an
/// empty period, and — when the range spans several half-years — the same bars per
/// half-year. No scripts, no external fonts or images, so any browser shows it as is.
public enum ReportChart {
    /// Bucket colours (colour-blind-safe palette) and legend labels, in stacking order.
    static let series: [(ReportOutcome, String, String)] = [
        (.content, "#b2182b", "content disclosed"),
        (.nonContent, "#2166ac", "non-content only"),
        (.noData, "#7fbf7b", "no data found"),
        (.rejected, "#f4a582", "rejected"),
        (.pending, "#bababa", "pending"),
    ]
    static let barWidth = 56, gap = 30, left = 64, plotHeight = 260

    /// The SVG document for `report`, by `provider` (nil: not named), with `periods` (the
    /// same report per half-year; shown when there are two or more).
    public static func svg(_ report: TransparencyReport, provider: String? = nil, periods: [TransparencyReport] = []) -> String {
        let shown = periods.count >= 2 ? periods : []
        let columns = max(max(4, report.byCountry.count), shown.count)   // room for "No requests in this period"
        let plotWidth = columns * (barWidth + gap) + gap
        let legendX = left + plotWidth + 24
        let width = max(legendX + 230, 760)
        let panel = plotHeight + 120
        let height = 110 + panel + (shown.isEmpty ? 0 : panel)
        let period = "\(day(report.from)) to \(day(report.to.advanced(bySeconds: -1)))"
        let title = provider.map { "\($0): law enforcement requests, \(period)" } ?? "Law enforcement requests, \(period)"
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
        font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">
        <title>\(escape(title))</title>
        <rect width="100%" height="100%" fill="#ffffff"/>
        <text x="\(left)" y="28" font-size="17" font-weight="bold">\(escape(title))</text>
        <text x="\(left)" y="50" fill="#444444">Requests received \(escape(period)) (inclusive) · \(report.total.requests) requests · \
        \(report.total.preservations) preservations (counted apart)</text>
        <text x="\(left)" y="68" fill="#444444">Median from receipt to disclosure: \(duration(report.total.medianSecondsToDisclose)) · \
        disclosed within 30 minutes: \(report.total.disclosedWithin30Minutes) of \(report.total.secondsToDisclose.count)</text>\n
        """
        s += bars(report.byCountry, heading: "By country", top: 110, plotWidth: plotWidth, medians: true)
        if !shown.isEmpty {
            s += bars(shown.map { p in var r = p.total; r.key = half(p.from); return r },
                      heading: "By half-year (period over period)", top: 110 + panel, plotWidth: plotWidth, medians: true)
        }
        for (i, (outcome, colour, label)) in series.enumerated() {
            let ly = 140 + i * 22, n = report.total.count(outcome)
            s += "<rect x=\"\(legendX)\" y=\"\(ly - 11)\" width=\"14\" height=\"14\" fill=\"\(colour)\"/>"
            s += "<text x=\"\(legendX + 22)\" y=\"\(ly)\">\(label): \(n) (\(percent(n, of: report.total.requests)))</text>\n"
        }
        return s + "</svg>\n"
    }

    /// One panel of stacked bars, each segment's count printed inside it, the total and
    /// its share above, the key and the median time to disclose below.
    static func bars(_ rows: [ReportRow], heading: String, top: Int, plotWidth: Int, medians: Bool) -> String {
        let maxValue = max(1, rows.map(\.requests).max() ?? 1)
        let step = niceStep(maxValue)
        let axisMax = ((maxValue + step - 1) / step) * step
        let plotTop = top + 30
        func y(_ v: Int) -> Int { plotTop + plotHeight - v * plotHeight / axisMax }
        let all = rows.reduce(0) { $0 + $1.requests }
        var s = "<text x=\"\(left)\" y=\"\(top + 12)\" font-size=\"14\" font-weight=\"bold\">\(escape(heading))</text>\n"
        var tick = 0
        while tick <= axisMax {
            s += "<line x1=\"\(left)\" y1=\"\(y(tick))\" x2=\"\(left + plotWidth)\" y2=\"\(y(tick))\" stroke=\"#e0e0e0\"/>"
            s += "<text x=\"\(left - 8)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\" fill=\"#444444\">\(tick)</text>\n"
            tick += step
        }
        s += "<text transform=\"translate(18 \(plotTop + plotHeight / 2)) rotate(-90)\" text-anchor=\"middle\" fill=\"#444444\">requests</text>\n"
        if all == 0 {
            s += "<text x=\"\(left + plotWidth / 2)\" y=\"\(plotTop + plotHeight / 2)\" text-anchor=\"middle\" font-size=\"16\" fill=\"#444444\">No requests in this period</text>\n"
        }
        for (i, r) in rows.enumerated() {
            let x = left + gap + i * (barWidth + gap)
            var base = 0
            var sideY = Int.max   // labels of segments too thin to hold one go beside the bar, never overlapping
            for (outcome, colour, label) in series {
                let n = r.count(outcome)
                guard n > 0 else { continue }
                let h = y(base) - y(base + n)
                s += "<rect x=\"\(x)\" y=\"\(y(base + n))\" width=\"\(barWidth)\" height=\"\(h)\" fill=\"\(colour)\">"
                s += "<title>\(escape(r.key)): \(n) \(label)</title></rect>"
                if h >= 14 {
                    s += "<text x=\"\(x + barWidth / 2)\" y=\"\(y(base + n) + h / 2 + 4)\" text-anchor=\"middle\" font-size=\"11\" fill=\"\(outcome == .pending || outcome == .noData || outcome == .rejected ? "#111111" : "#ffffff")\">\(n)</text>"
                } else {
                    let ly = min(y(base + n) + h / 2 + 4, sideY - 10)
                    sideY = ly
                    s += "<text x=\"\(x + barWidth + 3)\" y=\"\(ly)\" font-size=\"9\" fill=\"#333333\">\(n)</text>"
                }
                s += "\n"
                base += n
            }
            if r.requests > 0 {
                s += "<text x=\"\(x + barWidth / 2)\" y=\"\(y(base) - 6)\" text-anchor=\"middle\" font-weight=\"bold\">\(r.requests) · \(percent(r.requests, of: all))</text>"
            }
            s += "<text x=\"\(x + barWidth / 2)\" y=\"\(plotTop + plotHeight + 18)\" text-anchor=\"middle\">\(escape(r.key))</text>"
            if medians {
                s += "<text x=\"\(x + barWidth / 2)\" y=\"\(plotTop + plotHeight + 34)\" text-anchor=\"middle\" font-size=\"10\" fill=\"#555555\">\(duration(r.medianSecondsToDisclose))</text>\n"
            }
        }
        s += "<line x1=\"\(left)\" y1=\"\(y(0))\" x2=\"\(left + plotWidth)\" y2=\"\(y(0))\" stroke=\"#333333\"/>\n"
        if medians {
            s += "<text x=\"\(left)\" y=\"\(plotTop + plotHeight + 56)\" font-size=\"11\" fill=\"#555555\">Above each bar: requests and share of the panel; below: median time from receipt to disclosure.</text>\n"
        }
        return s
    }

    /// `45 s`, `12 min`, `4.2 h`, `2.9 d`; `–` when nothing was disclosed.
    public static func duration(_ seconds: Int64?) -> String {
        guard let s = seconds else { return "–" }
        func one(_ v: Double) -> String { v < 10 ? String(format: "%.1f", v) : String(Int(v.rounded())) }
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(one(Double(s) / 60)) min" }
        if s < 172_800 { return "\(one(Double(s) / 3600)) h" }
        return "\(one(Double(s) / 86_400)) d"
    }

    /// `40 %` (whole percent; `0 %` of nothing).
    static func percent(_ n: Int, of total: Int) -> String { total == 0 ? "0 %" : "\((n * 100 + total / 2) / total) %" }

    /// `2026 H1` for a half-year beginning at `start`.
    static func half(_ start: Instant) -> String {
        let d = day(start)
        return "\(d.prefix(4)) H\(Int(d.dropFirst(5).prefix(2)) ?? 1 <= 6 ? 1 : 2)"
    }

    /// A round tick step giving at most about eight gridlines.
    static func niceStep(_ maxValue: Int) -> Int {
        var magnitude = 1
        while true {
            for m in [1, 2, 5] where maxValue <= 8 * m * magnitude { return m * magnitude }
            magnitude *= 10
        }
    }

    static func day(_ i: Instant) -> String { String(i.description.prefix(10)) }

    /// XML text escaping (the one the HI-1 writer uses).
    static func escape(_ s: String) -> String { XMLWriter.escape(s) }
}
