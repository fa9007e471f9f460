import DiscloseKit

/// The case-lifecycle commands: `case`, `audit verify`, `status`, `preserve`, `report`.
/// Parsed here (pure, like `parse`) and dispatched to their own files.
enum LifecycleCommand: Equatable {
    /// Output form of `report`.
    enum ReportFormat: Equatable { case text, json, csv }

    case receive(request: String, config: String?, acknowledge: String? = nil)
    case noData(caseID: String, reason: String?, config: String?)
    case followUp(caseID: String, reference: String, config: String?)
    case extend(caseID: String, reference: String, config: String?)
    case close(caseID: String, reason: String?, config: String?)
    case auditVerify(bundles: [String], config: String?, log: String?, json: Bool)
    case status(config: String?, json: Bool, all: Bool, at: Instant?)
    case preserve(request: String, out: String, config: String?)
    case report(from: Instant, to: Instant, format: ReportFormat, chart: String?, config: String?, log: String?)

    /// The command words this file handles.
    static let names: Set<String> = ["case", "audit", "status", "preserve", "report"]

    /// Parses the words after `first` (one of `names`).
    static func parse(_ first: String, _ rest: [String]) throws -> LifecycleCommand {
        func need(_ w: ParsedWords, _ o: String, _ cmd: String) throws -> String {
            guard let v = w.value(o) else { throw UsageError(message: "'\(cmd)' needs \(o)", hint: "disclose \(first) --help") }
            return v
        }
        switch first {
        case "case":
            guard let action = rest.first else {
                throw UsageError(message: "case needs an action: receive, no-data, follow-up, extend or close", hint: "disclose case --help")
            }
            let more = Array(rest.dropFirst())
            let name = "case \(action)"
            switch action {
            case "receive":
                let w = try split(more, CommandSpec(name: name, valueOptions: ["--config", "--acknowledge"], positionals: 1...1))
                return .receive(request: w.positionals[0], config: w.value("--config"), acknowledge: w.value("--acknowledge"))
            case "no-data", "close":
                let w = try split(more, CommandSpec(name: name, valueOptions: ["--reason", "--config"], positionals: 1...1))
                return action == "close" ? .close(caseID: w.positionals[0], reason: w.value("--reason"), config: w.value("--config"))
                                         : .noData(caseID: w.positionals[0], reason: w.value("--reason"), config: w.value("--config"))
            case "follow-up", "extend":
                let w = try split(more, CommandSpec(name: name, valueOptions: ["--reference", "--config"], positionals: 1...1))
                let ref = try need(w, "--reference", name)
                return action == "extend" ? .extend(caseID: w.positionals[0], reference: ref, config: w.value("--config"))
                                          : .followUp(caseID: w.positionals[0], reference: ref, config: w.value("--config"))
            default:
                throw UsageError(message: "unknown case action '\(action)'", hint: "use: disclose case receive|no-data|follow-up|extend|close")
            }
        case "audit":
            guard rest.first == "verify" else { throw UsageError(message: "audit needs the action 'verify'", hint: "disclose audit --help") }
            let w = try split(Array(rest.dropFirst()), CommandSpec(name: "audit verify", valueOptions: ["--config", "--log"],
                                                                   repeatableOptions: ["--bundle"], flags: ["--json"]))
            if w.value("--config") != nil, w.value("--log") != nil { throw UsageError(message: "give --config or --log, not both", hint: nil) }
            return .auditVerify(bundles: w.values["--bundle"] ?? [], config: w.value("--config"), log: w.value("--log"), json: w.flags.contains("--json"))
        case "status":
            let w = try split(rest, CommandSpec(name: "status", valueOptions: ["--config", "--at"], flags: ["--json", "--all"]))
            var at: Instant? = nil
            if let s = w.value("--at") {
                guard let t = TimeParsing.parseDate(s) else { throw UsageError(message: "--at takes an RFC 3339 time or a date", hint: nil) }
                at = t
            }
            return .status(config: w.value("--config"), json: w.flags.contains("--json"), all: w.flags.contains("--all"), at: at)
        case "preserve":
            let w = try split(rest, CommandSpec(name: "preserve", valueOptions: ["--out", "--config"], positionals: 1...1))
            return .preserve(request: w.positionals[0], out: try need(w, "--out", "preserve"), config: w.value("--config"))
        default:
            let w = try split(rest, CommandSpec(name: "report", valueOptions: ["--from", "--to", "--chart", "--config", "--log"], flags: ["--json", "--csv"]))
            if w.flags.contains("--json"), w.flags.contains("--csv") { throw UsageError(message: "--json and --csv exclude each other", hint: nil) }
            if w.value("--config") != nil, w.value("--log") != nil { throw UsageError(message: "give --config or --log, not both", hint: nil) }
            let fromText = try need(w, "--from", "report"), toText = try need(w, "--to", "report")
            guard let from = TimeParsing.parseDate(fromText), let to = TimeParsing.parseDate(toText) else {
                throw UsageError(message: "--from and --to take dates (YYYY-MM-DD) or RFC 3339 times", hint: nil)
            }
            // A plain date as --to means through the end of that day.
            let end = toText.utf8.count == 10 ? to.advanced(bySeconds: 86_400) : to
            guard from < end else { throw UsageError(message: "--to lies before --from", hint: nil) }
            if let chart = w.value("--chart"), !chart.hasSuffix(".svg") { throw UsageError(message: "--chart writes an SVG file: give a name ending in .svg", hint: nil) }
            return .report(from: from, to: end, format: w.flags.contains("--json") ? .json : w.flags.contains("--csv") ? .csv : .text,
                           chart: w.value("--chart"), config: w.value("--config"), log: w.value("--log"))
        }
    }

    /// Runs the command; returns the exit status.
    func run() throws -> Int32 {
        switch self {
        case .receive, .noData, .followUp, .extend, .close: return try CaseCommand.run(self)
        case let .auditVerify(bundles, config, log, json): return try AuditCommand.verify(bundles: bundles, config: config, log: log, json: json)
        case let .status(config, json, all, at): return try StatusCommand.run(config: config, json: json, all: all, at: at)
        case let .preserve(request, out, config): return try PreserveCommand.run(request: request, out: out, config: config)
        case let .report(from, to, format, chart, config, log):
            return try ReportCommand.run(from: from, to: to, format: format, chart: chart, config: config, log: log)
        }
    }
}
