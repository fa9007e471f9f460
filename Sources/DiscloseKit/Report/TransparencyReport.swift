import Primitives
import Foundation

/// How one request ended, in the buckets of Microsoft's Law Enforcement Requests Report.
/// Each request falls in exactly one.
public enum ReportOutcome: String, Sendable, CaseIterable {
    /// Content was disclosed (possibly with non-content data).
    case content = "content_disclosed"
    /// Only non-content data (subscriber, identification, traffic) was disclosed.
    case nonContent = "non_content_only"
    /// The request was valid but no data was found in scope.
    case noData = "no_data_found"
    /// Refused: failed the policy checks, or a reviewer rejected it and it was closed.
    case rejected
    /// No outcome recorded yet (not in the published report's buckets).
    case pending

    /// The bucket of a case.
    public static func of(_ h: CaseHistory) -> ReportOutcome {
        if let d = h.disclosed { return d.content ? .content : .nonContent }
        if h.noDataAnswered != nil { return .noData }
        if h.lastPlanVerdict == "refused" { return .rejected }
        if h.reviewerRejected && h.closed != nil { return .rejected }
        return .pending
    }

    /// The Form 3 family a rejected case is counted under (`HI1RefusalReason` raw value):
    /// the first failed check's, else the reviewer rejection's; nil unless rejected.
    public static func refusalReason(_ h: CaseHistory) -> String? {
        guard of(h) == .rejected else { return nil }
        if h.lastPlanVerdict == "refused" { return h.planRefusalReasons.first ?? HI1RefusalReason.other.rawValue }
        return h.rejectionReason ?? HI1RefusalReason.other.rawValue
    }
}

/// One row of the report: the counts for a country, an instrument type, or the total.
public struct ReportRow: Sendable, Equatable {
    /// Country code, instrument type, or `total`.
    public var key: String
    /// Requests received in the period (preservation requests are counted apart).
    public var requests = 0
    /// Accounts / users specified in those requests (subject identifiers).
    public var accountsSpecified = 0
    /// Requests per outcome bucket.
    public var outcomes: [ReportOutcome: Int] = [:]
    /// Emergency requests among them.
    public var emergency = 0
    /// Preservation requests received in the period.
    public var preservations = 0
    /// Seconds from receipt to disclosure, for each disclosed request.
    public var secondsToDisclose: [Int64] = []
    /// Requests that came with an order delaying or forbidding notice to the user.
    public var nondisclosureOrders = 0
    /// Requests whose user was notified (`user_notified`).
    public var noticesGiven = 0
    /// Rejected requests by Form 3 family (`ReportOutcome.refusalReason`).
    public var refusalReasons: [String: Int] = [:]

    /// A row with zero counts.
    public init(key: String) { self.key = key }

    /// Count of one bucket.
    public func count(_ o: ReportOutcome) -> Int { outcomes[o] ?? 0 }

    /// Median seconds from receipt to disclosure (nil when nothing was disclosed).
    public var medianSecondsToDisclose: Int64? {
        guard !secondsToDisclose.isEmpty else { return nil }
        let s = secondsToDisclose.sorted()
        let m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }

    /// Disclosures made within 30 minutes of receipt (the Paris 2015 bar).
    public var disclosedWithin30Minutes: Int { secondsToDisclose.filter { $0 <= 1800 }.count }

    mutating func add(_ h: CaseHistory) {
        if h.preservation { preservations += 1; return }
        requests += 1
        accountsSpecified += h.subjects ?? h.accounts ?? 0
        outcomes[ReportOutcome.of(h), default: 0] += 1
        if h.emergency { emergency += 1 }
        if h.notice?.isOrder == true { nondisclosureOrders += 1 }
        if h.notified != nil { noticesGiven += 1 }
        if let r = ReportOutcome.refusalReason(h) { refusalReasons[r, default: 0] += 1 }
        if let d = h.disclosed, let r = h.received {
            secondsToDisclose.append(max(0, (d.time.nanoseconds - r.nanoseconds) / 1_000_000_000))
        }
    }
}

/// The transparency report over a period: requests received in [from, to), by country and
/// by instrument type, with the total. Built from the audit log's case histories only.
public struct TransparencyReport: Sendable {
    /// Start of the period (inclusive).
    public var from: Instant
    /// End of the period (exclusive).
    public var to: Instant
    /// One row per country, sorted by code.
    public var byCountry: [ReportRow]
    /// One row per instrument type, sorted by type.
    public var byInstrument: [ReportRow]
    /// All requests of the period.
    public var total: ReportRow
    /// Cases received in the period that were voided: counted nowhere else.
    public var voided = 0

    /// Counts the cases whose request was received in [from, to).
    public static func build(_ histories: [CaseHistory], from: Instant, to: Instant) -> TransparencyReport {
        var countries: [String: ReportRow] = [:]
        var instruments: [String: ReportRow] = [:]
        var total = ReportRow(key: "total")
        var voided = 0
        for h in histories {
            guard let r = h.received, r >= from, r < to else { continue }
            if h.voided != nil { voided += 1; continue }
            let c = h.country ?? "??", i = h.instrument ?? "unknown"
            countries[c, default: ReportRow(key: c)].add(h)
            instruments[i, default: ReportRow(key: i)].add(h)
            total.add(h)
        }
        return TransparencyReport(from: from, to: to, byCountry: countries.keys.sorted().map { countries[$0]! },
                                  byInstrument: instruments.keys.sorted().map { instruments[$0]! }, total: total, voided: voided)
    }

    /// The CSV column names, in order.
    public static let columns = ["dimension", "key", "requests", "accounts_specified"] + ReportOutcome.allCases.map(\.rawValue)
        + ["emergency", "preservations", "median_minutes_to_disclose", "disclosed_within_30_min", "nondisclosure_orders", "notices_given"]

    private func rows() -> [(String, ReportRow)] {
        byCountry.map { ("country", $0) } + byInstrument.map { ("instrument", $0) } + [("total", total)]
    }

    /// Minutes with one decimal, rounded (`12.5`).
    static func minutes(_ s: Int64?) -> String? {
        guard let x = s else { return nil }
        let tenths = (x * 10 + 30) / 60
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// RFC 4180 CSV: a header, then a line per country, per instrument, and the total.
    public var csv: String {
        var out = TransparencyReport.columns.joined(separator: ",") + "\r\n"
        for (dim, r) in rows() {
            var cells = [dim, CSVQuoting.quoted(r.key), String(r.requests), String(r.accountsSpecified)]
            cells += ReportOutcome.allCases.map { String(r.count($0)) }
            cells += [String(r.emergency), String(r.preservations), TransparencyReport.minutes(r.medianSecondsToDisclose) ?? "",
                      String(r.disclosedWithin30Minutes), String(r.nondisclosureOrders), String(r.noticesGiven)]
            out += cells.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// The report as a JSON document (`disclose-report/1`).
    public var json: JSONOutput {
        func row(_ r: ReportRow) -> JSONOutput {
            .object([("key", .string(r.key)), ("requests", .int(r.requests)), ("accounts_specified", .int(r.accountsSpecified))]
                    + ReportOutcome.allCases.map { ($0.rawValue, JSONOutput.int(r.count($0))) }
                    + [("emergency", .int(r.emergency)), ("preservations", .int(r.preservations)),
                       ("median_seconds_to_disclose", r.medianSecondsToDisclose.map { .int(Int($0)) } ?? .null),
                       ("disclosed_within_30_min", .int(r.disclosedWithin30Minutes)),
                       ("nondisclosure_orders", .int(r.nondisclosureOrders)), ("notices_given", .int(r.noticesGiven)),
                       ("refusal_reasons", .object(r.refusalReasons.keys.sorted().map { ($0, .int(r.refusalReasons[$0]!)) }))])
        }
        return .object([("format", "disclose-report/1"), ("from", .string(from.description)), ("to", .string(to.description)),
                        ("by_country", .array(byCountry.map(row))), ("by_instrument", .array(byInstrument.map(row))),
                        ("total", row(total)), ("voided", .int(voided))])
    }

    /// The readable tables.
    public var text: String {
        let head = ["", "requests", "accounts", "content", "non-content", "no data", "rejected", "pending", "emergency", "preserv.", "median min", "≤30 min", "NDO", "notified"]
        func cells(_ r: ReportRow) -> [String] {
            [r.key, String(r.requests), String(r.accountsSpecified)] + ReportOutcome.allCases.map { String(r.count($0)) }
                + [String(r.emergency), String(r.preservations), TransparencyReport.minutes(r.medianSecondsToDisclose) ?? "–",
                   String(r.disclosedWithin30Minutes), String(r.nondisclosureOrders), String(r.noticesGiven)]
        }
        func table(_ title: String, _ rows: [ReportRow]) -> String {
            let all = [[title] + head.dropFirst()] + rows.map(cells)
            let widths = (0..<head.count).map { c in all.map { $0[c].count }.max() ?? 0 }
            return all.map { row in
                row.enumerated().map { c, s in
                    let pad = String(repeating: " ", count: widths[c] - s.count)
                    return c == 0 ? s + pad : pad + s
                }.joined(separator: "  ")
            }.joined(separator: "\n") + "\n"
        }
        return "Transparency report: requests received \(from) – \(to) (end exclusive)\n\n"
            + table("country", byCountry + [total]) + "\n" + table("instrument", byInstrument + [total])
            + "\nmedian min: minutes from receipt to disclosure; ≤30 min: disclosures within 30 minutes of receipt.\n"
            + "Preservation requests are counted apart (preserv.); they disclose nothing.\n"
            + "NDO: requests with an order delaying or forbidding notice to the user; notified: users told of the request.\n"
            + (voided > 0 ? "\(voided) voided case\(voided == 1 ? "" : "s") (opened by mistake) left out of every count.\n" : "")
            + (total.refusalReasons.isEmpty ? "" : "Rejected, by reason (e-Evidence Form 3 families): "
                + total.refusalReasons.keys.sorted().map { "\($0) \(total.refusalReasons[$0]!)" }.joined(separator: ", ") + "\n")
    }
}
