/// The transparency report as a self-contained SVG bar chart: one stacked bar per
/// country (outcome buckets), with axis, totals, legend and the median time to disclose.
/// No scripts, no external fonts or images, so any browser shows it as is.
public enum ReportChart {
    /// Bucket colours (colour-blind-safe palette) and legend labels, in stacking order.
    static let series: [(ReportOutcome, String, String)] = [
        (.content, "#b2182b", "content disclosed"),
        (.nonContent, "#2166ac", "non-content only"),
        (.noData, "#7fbf7b", "no data found"),
        (.rejected, "#f4a582", "rejected"),
        (.pending, "#bababa", "pending"),
    ]

    /// The SVG document for `report`.
    public static func svg(_ report: TransparencyReport) -> String {
        let rows = report.byCountry
        let barWidth = 44, gap = 28, left = 64, top = 96, plotHeight = 300
        let plotWidth = max(1, rows.count) * (barWidth + gap) + gap
        let legendX = left + plotWidth + 24
        let width = max(legendX + 190, 720), height = top + plotHeight + 86
        let maxValue = max(1, rows.map(\.requests).max() ?? 1)
        let step = niceStep(maxValue)
        let axisMax = ((maxValue + step - 1) / step) * step
        func y(_ v: Int) -> Int { top + plotHeight - v * plotHeight / axisMax }

        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
        font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">
        <title>Law enforcement requests by country</title>
        <rect width="100%" height="100%" fill="#ffffff"/>
        <text x="\(left)" y="28" font-size="17" font-weight="bold">Law enforcement requests by country</text>
        <text x="\(left)" y="50" fill="#444444">Requests received \(escape(day(report.from))) to \(escape(day(report.to.advanced(bySeconds: -1)))) (inclusive)</text>
        <text x="\(left)" y="68" fill="#444444">\(report.total.requests) requests · \(report.total.preservations) preservations (counted apart) · \
        median \(TransparencyReport.minutes(report.total.medianSecondsToDisclose).map { "\($0) min" } ?? "–") from receipt to disclosure</text>\n
        """
        var tick = 0
        while tick <= axisMax {
            s += "<line x1=\"\(left)\" y1=\"\(y(tick))\" x2=\"\(left + plotWidth)\" y2=\"\(y(tick))\" stroke=\"#e0e0e0\"/>"
            s += "<text x=\"\(left - 8)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\" fill=\"#444444\">\(tick)</text>\n"
            tick += step
        }
        s += "<text transform=\"translate(18 \(top + plotHeight / 2)) rotate(-90)\" text-anchor=\"middle\" fill=\"#444444\">requests</text>\n"
        for (i, r) in rows.enumerated() {
            let x = left + gap + i * (barWidth + gap)
            var base = 0
            for (outcome, colour, label) in series {
                let n = r.count(outcome)
                guard n > 0 else { continue }
                s += "<rect x=\"\(x)\" y=\"\(y(base + n))\" width=\"\(barWidth)\" height=\"\(y(base) - y(base + n))\" fill=\"\(colour)\">"
                s += "<title>\(escape(r.key)): \(n) \(label)</title></rect>\n"
                base += n
            }
            s += "<text x=\"\(x + barWidth / 2)\" y=\"\(y(base) - 6)\" text-anchor=\"middle\" font-weight=\"bold\">\(r.requests)</text>"
            s += "<text x=\"\(x + barWidth / 2)\" y=\"\(top + plotHeight + 18)\" text-anchor=\"middle\">\(escape(r.key))</text>"
            let median = TransparencyReport.minutes(r.medianSecondsToDisclose).map { "\($0)′" } ?? "–"
            s += "<text x=\"\(x + barWidth / 2)\" y=\"\(top + plotHeight + 34)\" text-anchor=\"middle\" font-size=\"10\" fill=\"#666666\">\(median)</text>\n"
        }
        s += "<line x1=\"\(left)\" y1=\"\(y(0))\" x2=\"\(left + plotWidth)\" y2=\"\(y(0))\" stroke=\"#333333\"/>\n"
        s += "<text x=\"\(left)\" y=\"\(top + plotHeight + 60)\" font-size=\"11\" fill=\"#666666\">Below each country: median minutes from receipt to disclosure.</text>\n"
        for (i, (_, colour, label)) in series.enumerated() {
            let ly = top + 10 + i * 22
            s += "<rect x=\"\(legendX)\" y=\"\(ly - 11)\" width=\"14\" height=\"14\" fill=\"\(colour)\"/>"
            s += "<text x=\"\(legendX + 22)\" y=\"\(ly)\">\(label) (\(report.total.count(series[i].0)))</text>\n"
        }
        return s + "</svg>\n"
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
