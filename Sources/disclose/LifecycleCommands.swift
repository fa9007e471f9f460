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
    case void(caseID: String, reason: String, config: String?)
    case notified(caseID: String, reference: String?, config: String?)
    case auditVerify(bundles: [String], config: String?, log: String?, signer: String?, json: Bool)
    case auditCheckpoint(config: String?, passphraseFile: String?)
    case status(config: String?, json: Bool, all: Bool, at: String?, timeZone: String?)
    case preserve(request: String, out: String, config: String?, practice: Bool = false)
    case report(from: String, to: String, timeZone: String?, format: ReportFormat, chart: String?, config: String?, log: String?)

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
                throw UsageError(message: "case needs an action: receive, no-data, follow-up, extend, close, void or notified", hint: "disclose case --help")
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
            case "void":
                let w = try split(more, CommandSpec(name: name, valueOptions: ["--reason", "--config"], positionals: 1...1))
                return .void(caseID: w.positionals[0], reason: try need(w, "--reason", name), config: w.value("--config"))
            case "notified":
                let w = try split(more, CommandSpec(name: name, valueOptions: ["--reference", "--config"], positionals: 1...1))
                return .notified(caseID: w.positionals[0], reference: w.value("--reference"), config: w.value("--config"))
            case "follow-up", "extend":
                let w = try split(more, CommandSpec(name: name, valueOptions: ["--reference", "--config"], positionals: 1...1))
                let ref = try need(w, "--reference", name)
                return action == "extend" ? .extend(caseID: w.positionals[0], reference: ref, config: w.value("--config"))
                                          : .followUp(caseID: w.positionals[0], reference: ref, config: w.value("--config"))
            default:
                throw UsageError(message: "unknown case action '\(action)'", hint: "use: disclose case receive|no-data|follow-up|extend|close|void|notified")
            }
        case "audit":
            switch rest.first {
            case "verify":
                let w = try split(Array(rest.dropFirst()), CommandSpec(name: "audit verify", valueOptions: ["--config", "--log", "--signer"],
                                                                       repeatableOptions: ["--bundle"], flags: ["--json"]))
                if w.value("--config") != nil, w.value("--log") != nil { throw UsageError(message: "give --config or --log, not both", hint: nil) }
                return .auditVerify(bundles: w.values["--bundle"] ?? [], config: w.value("--config"), log: w.value("--log"),
                                    signer: w.value("--signer"), json: w.flags.contains("--json"))
            case "checkpoint":
                let w = try split(Array(rest.dropFirst()), CommandSpec(name: "audit checkpoint", valueOptions: ["--config", "--passphrase-file"]))
                return .auditCheckpoint(config: w.value("--config"), passphraseFile: w.value("--passphrase-file"))
            default:
                throw UsageError(message: "audit needs an action: verify or checkpoint", hint: "disclose audit --help")
            }
        case "status":
            let w = try split(rest, CommandSpec(name: "status", valueOptions: ["--config", "--at", "--time-zone"], flags: ["--json", "--all"]))
            if let s = w.value("--at"), !wellFormed(s) { throw UsageError(message: "--at takes an RFC 3339 time or a date (YYYY-MM-DD)", hint: nil) }
            return .status(config: w.value("--config"), json: w.flags.contains("--json"), all: w.flags.contains("--all"), at: w.value("--at"),
                           timeZone: try zone(w))
        case "preserve":
            let w = try split(rest, CommandSpec(name: "preserve", valueOptions: ["--out", "--config", "--jobs"], flags: ["--practice"], positionals: 1...1))
            try applyJobs(w)
            return .preserve(request: w.positionals[0], out: try need(w, "--out", "preserve"), config: w.value("--config"),
                             practice: w.flags.contains("--practice"))
        default:
            let w = try split(rest, CommandSpec(name: "report", valueOptions: ["--from", "--to", "--chart", "--config", "--log", "--time-zone"], flags: ["--json", "--csv"]))
            if w.flags.contains("--json"), w.flags.contains("--csv") { throw UsageError(message: "--json and --csv exclude each other", hint: nil) }
            if w.value("--config") != nil, w.value("--log") != nil { throw UsageError(message: "give --config or --log, not both", hint: nil) }
            let fromText = try need(w, "--from", "report"), toText = try need(w, "--to", "report")
            guard wellFormed(fromText), wellFormed(toText) else {
                throw UsageError(message: "--from and --to take dates (YYYY-MM-DD) or RFC 3339 times", hint: nil)
            }
            // Bounds of the same form compare before any zone is known (a zone shifts both alike).
            if LegalTime.isPlainDate(fromText) == LegalTime.isPlainDate(toText),
               LegalTime.isPlainDate(fromText) ? fromText > toText : TimeParsing.parse(fromText, format: .rfc3339)! >= TimeParsing.parse(toText, format: .rfc3339)! {
                throw UsageError(message: "--to lies before --from", hint: nil)
            }
            if let chart = w.value("--chart"), !chart.hasSuffix(".svg") { throw UsageError(message: "--chart writes an SVG file: give a name ending in .svg", hint: nil) }
            return .report(from: fromText, to: toText, timeZone: try zone(w), format: w.flags.contains("--json") ? .json : w.flags.contains("--csv") ? .csv : .text,
                           chart: w.value("--chart"), config: w.value("--config"), log: w.value("--log"))
        }
    }

    /// Whether `text` is an RFC 3339 time or a real `YYYY-MM-DD` date (its zone comes later).
    static func wellFormed(_ text: String) -> Bool {
        if case .success = LegalTime.instant(text, bound: .start, zone: LegalTime.zone(named: "UTC")) { return true }
        return false
    }

    /// `--time-zone`, checked to be an IANA zone name.
    static func zone(_ w: ParsedWords) throws -> String? {
        guard let z = w.value("--time-zone") else { return nil }
        guard LegalTime.zone(named: z) != nil else {
            throw UsageError(message: "--time-zone takes an IANA time zone name; '\(z)' is not one", hint: "for example Europe/Paris, America/New_York or UTC")
        }
        return z
    }

    /// Runs the command; returns the exit status.
    func run() throws -> Int32 {
        switch self {
        case .receive, .noData, .followUp, .extend, .close, .void, .notified: return try CaseCommand.run(self)
        case let .auditVerify(bundles, config, log, signer, json):
            return try AuditCommand.verify(bundles: bundles, config: config, log: log, signer: signer, json: json)
        case let .auditCheckpoint(config, passphraseFile): return try AuditCommand.checkpoint(config: config, passphraseFile: passphraseFile)
        case let .status(config, json, all, at, zone): return try StatusCommand.run(config: config, json: json, all: all, at: at, timeZone: zone)
        case let .preserve(request, out, config, practice): return try PreserveCommand.run(request: request, out: out, config: config, practice: practice)
        case let .report(from, to, zone, format, chart, config, log):
            return try ReportCommand.run(from: from, to: to, timeZone: zone, format: format, chart: chart, config: config, log: log)
        }
    }
}
