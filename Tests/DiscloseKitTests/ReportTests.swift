import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import DiscloseKit

/// The transparency report over a generated history of a few hundred interleaved cases,
/// checked against counts the test keeps itself while generating.
@Suite struct ReportTests {

    enum Kind: CaseIterable { case content, nonContent, noDataExport, noDataEvent, refused, rejectedClosed, pending, preservation }

    /// What the test expects for one row.
    struct Expected { var requests = 0, accounts = 0, emergency = 0, preservations = 0; var buckets: [ReportOutcome: Int] = [:]; var delays: [Int64] = [] }

    static let from = TimeParsing.parseDate("2026-01-01")!
    static let to = TimeParsing.parseDate("2026-07-01")!

    @Test func reportMatchesIndependentCounts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-report-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = AuditLog(path: dir + "/audit.jsonl")
        var rng = SplitMix(seed: 2015)
        var events: [(time: Instant, order: Int, event: String, id: String, facts: [(String, JSONOutput)])] = []
        var byCountry: [String: Expected] = [:], byInstrument: [String: Expected] = [:], total = Expected()
        let minute: Int64 = 60_000_000_000
        for n in 0..<320 {
            let country = rng.pick(["FR", "DE", "US", "GB", "BR"])
            let kind = rng.pick(Kind.allCases)
            let instrument = kind == .preservation ? rng.pick(["us_preservation_2703f", "eu_preservation_order"])
                                                   : rng.pick(["eu_production_order", "us_subpoena", "us_warrant"])
            // A tenth of the cases fall outside the period (before or after).
            let inPeriod = rng.int(0...9) != 0
            let offset = Int64(inPeriod ? rng.int(0...(181 * 24 * 60 - 1)) : rng.int(0...(30 * 24 * 60 - 1))) * minute
            let start = inPeriod ? Self.from.nanoseconds : rng.int(0...1) == 0 ? Self.from.nanoseconds - 40 * 86_400 * 1_000_000_000 : Self.to.nanoseconds
            let received = Instant(nanoseconds: start + offset)
            let subjects = rng.int(1...4)
            let emergency = kind != .preservation && rng.int(0...6) == 0
            let id = "CASE-\(n)"
            let common: [(String, JSONOutput)] = [("authority", .string(country.lowercased() + "-police")), ("country", .string(country)),
                                                  ("instrument", .string(instrument)), ("received", .string(received.description)),
                                                  ("emergency", .bool(emergency))]
            var step = 0
            func add(_ event: String, after minutes: Int, _ facts: [(String, JSONOutput)]) {
                step += 1
                events.append((Instant(nanoseconds: received.nanoseconds + Int64(minutes) * minute), step, event, id, facts))
            }
            let recorded = rng.int(0...3) != 0   // some cases skip `case receive` and start at plan
            if recorded { add("received", after: 1, common + [("subjects", .int(subjects)), ("preservation", .bool(kind == .preservation))]) }
            let planned = common + [("subjects", .int(subjects))]
            let delay = rng.int(3...240)
            switch kind {
            case .content, .nonContent:
                add("planned", after: 2, planned + [("verdict", "disclose")])
                add("approved", after: 3, [])
                add("exported", after: delay, common + [("verdict", "disclose"), ("content_disclosed", .bool(kind == .content)), ("accounts", .int(subjects + 1))])
            case .noDataExport:
                add("planned", after: 2, planned + [("verdict", "no_data")])
                add("exported", after: delay, common + [("verdict", "no_data"), ("content_disclosed", false), ("accounts", .int(0))])
            case .noDataEvent:
                add("planned", after: 2, planned + [("verdict", "no_data")])
                add("no_data", after: delay, [])
            case .refused:
                add("planned", after: 2, planned + [("verdict", "refused")])
            case .rejectedClosed:
                add("planned", after: 2, planned + [("verdict", "disclose")])
                add("rejected", after: 5, [])
                add("closed", after: 9, [])
            case .pending:
                add("planned", after: 2, planned + [("verdict", "disclose")])
                if rng.int(0...1) == 0 { add("rejected", after: 4, []) }   // rejected but not closed: still pending
            case .preservation:
                if !recorded { add("received", after: 1, common + [("subjects", .int(subjects)), ("preservation", true)]) }
                add("preserved", after: 20, common + [("preservation", true), ("until", .string(received.advanced(bySeconds: 90 * 86_400).description))])
            }
            guard inPeriod, received < Self.to, received >= Self.from else { continue }
            func count(_ e: inout Expected) {
                if kind == .preservation { e.preservations += 1; return }
                e.requests += 1
                e.accounts += subjects
                if emergency { e.emergency += 1 }
                let bucket: ReportOutcome
                switch kind {
                case .content: bucket = .content
                case .nonContent: bucket = .nonContent
                case .noDataExport, .noDataEvent: bucket = .noData
                case .refused, .rejectedClosed: bucket = .rejected
                case .pending, .preservation: bucket = .pending
                }
                e.buckets[bucket, default: 0] += 1
                if kind == .content || kind == .nonContent { e.delays.append(Int64(delay) * 60) }
            }
            count(&byCountry[country, default: Expected()])
            count(&byInstrument[instrument, default: Expected()])
            count(&total)
        }
        // The log interleaves cases in time order, as a real one does.
        for e in events.sorted(by: { ($0.time, $0.order, $0.id) < ($1.time, $1.order, $1.id) }) {
            try log.append(event: e.event, caseID: e.id, time: e.time, facts: e.facts)
        }
        #expect(try log.verify().problem == nil)
        #expect(total.requests > 200)

        let report = TransparencyReport.build(try CaseLedger.load(log), from: Self.from, to: Self.to)
        func check(_ row: ReportRow, _ e: Expected) {
            #expect(row.requests == e.requests, "requests of \(row.key)")
            #expect(row.accountsSpecified == e.accounts, "accounts of \(row.key)")
            #expect(row.emergency == e.emergency, "emergency of \(row.key)")
            #expect(row.preservations == e.preservations, "preservations of \(row.key)")
            for b in ReportOutcome.allCases { #expect(row.count(b) == (e.buckets[b] ?? 0), "\(b) of \(row.key)") }
            let sorted = e.delays.sorted()
            let median: Int64? = sorted.isEmpty ? nil : sorted.count % 2 == 1 ? sorted[sorted.count / 2]
                : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            #expect(row.medianSecondsToDisclose == median, "median of \(row.key)")
            #expect(row.disclosedWithin30Minutes == e.delays.filter { $0 <= 1800 }.count)
        }
        #expect(report.byCountry.map(\.key) == byCountry.keys.sorted())
        #expect(report.byInstrument.map(\.key) == byInstrument.keys.sorted())
        for row in report.byCountry { check(row, byCountry[row.key]!) }
        for row in report.byInstrument { check(row, byInstrument[row.key]!) }
        check(report.total, total)
        // Each request is in exactly one bucket.
        #expect(ReportOutcome.allCases.reduce(0) { $0 + report.total.count($1) } == report.total.requests)

        // CSV: a header, one line per country, per instrument, and the total, with the same numbers.
        let csv = report.csv.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(csv.count == 1 + byCountry.count + byInstrument.count + 1)
        #expect(csv[0] == TransparencyReport.columns)
        let totalLine = try #require(csv.last)
        #expect(totalLine[0] == "total" && totalLine[2] == String(total.requests) && totalLine[3] == String(total.accounts))
        // JSON carries the same total.
        #expect(report.json["total"]?["requests"] == .int(total.requests))
        #expect(report.json["total"]?["no_data_found"] == .int(total.buckets[.noData] ?? 0))
    }

    @Test func chartIsSelfContainedSVGWithEveryCountry() throws {
        var fr = ReportRow(key: "FR"), us = ReportRow(key: "US"), total = ReportRow(key: "total")
        fr.requests = 7; fr.outcomes = [.content: 2, .nonContent: 3, .rejected: 2]; fr.secondsToDisclose = [600, 1200, 4000, 90, 300]
        us.requests = 3; us.outcomes = [.noData: 1, .pending: 2]
        total.requests = 10; total.outcomes = [.content: 2, .nonContent: 3, .rejected: 2, .noData: 1, .pending: 2]
        let report = TransparencyReport(from: Self.from, to: Self.to, byCountry: [fr, us], byInstrument: [], total: total)
        let svg = ReportChart.svg(report)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(!svg.contains("<script") && !svg.contains("href="))   // nothing external, nothing active
        #expect(svg.contains(">FR</text>") && svg.contains(">US</text>"))
        #expect(svg.contains("FR: 2 content disclosed"))
        #expect(svg.contains("2026-01-01 to 2026-06-30"))
        #expect(svg.contains(">10 min<"))   // FR median: 600 s, in readable units
        // Well-formed XML, as a browser needs it.
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    }

    @Test func chartIsReadableOnPaper() throws {
        #expect(ReportChart.duration(45) == "45 s" && ReportChart.duration(600) == "10 min" && ReportChart.duration(3 * 3600) == "3.0 h")
        #expect(ReportChart.duration(15_277_092) == "177 d" && ReportChart.duration(nil) == "–")
        var fr = ReportRow(key: "FR"), total = ReportRow(key: "total")
        fr.requests = 7; fr.outcomes = [.content: 2, .nonContent: 3, .rejected: 2]
        total.requests = 10; total.outcomes = [.content: 2, .nonContent: 3, .rejected: 2, .noData: 3]
        var us = ReportRow(key: "US"); us.requests = 3; us.outcomes = [.noData: 3]
        let report = TransparencyReport(from: Self.from, to: Self.to, byCountry: [fr, us], byInstrument: [], total: total)
        let svg = ReportChart.svg(report, provider: "Example <Mail>")
        #expect(svg.contains("Example &lt;Mail&gt;: law enforcement requests, 2026-01-01 to 2026-06-30"))
        #expect(svg.contains(">7 · 70 %</text>") && svg.contains(">3 · 30 %</text>"), "totals and shares on the bars")
        #expect(svg.contains("fill=\"#ffffff\">3</text>"), "segment values printed inside the bars")
        #expect(svg.contains("content disclosed: 2 (20 %)"), "shares in the legend")
        #expect(!svg.contains("No requests in this period") && !svg.contains("half-year"))
        let empty = TransparencyReport(from: Self.from, to: Self.to, byCountry: [], byInstrument: [], total: ReportRow(key: "total"))
        #expect(ReportChart.svg(empty).contains(">No requests in this period</text>"))
        // Period over period: a range over three half-years gets a panel per half-year.
        let from = try #require(TimeParsing.parseDate("2026-01-01")), to = try #require(TimeParsing.parseDate("2027-04-01"))
        let halves = TransparencyReport.halfYears([], from: from, to: to)
        #expect(halves.map { ReportChart.day($0.from) } == ["2026-01-01", "2026-07-01", "2027-01-01"])
        #expect(halves.last.map { ReportChart.day($0.to) } == "2027-04-01")
        let long = ReportChart.svg(TransparencyReport.build([], from: from, to: to), periods: halves)
        #expect(long.contains(">2026 H1</text>") && long.contains(">2026 H2</text>") && long.contains(">2027 H1</text>"))
        #expect(XMLParser(data: Data(long.utf8)).parse())
        #expect(TransparencyReport.halfYears([], from: Self.from, to: Self.to).count == 1)
    }
}
