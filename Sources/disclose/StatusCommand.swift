import DiscloseKit

/// `disclose status`: open cases, most urgent first, with their deadlines.
enum StatusCommand {
    static func run(config configPath: String?, json: Bool, all: Bool, at: String?, timeZone: String?) throws -> Int32 {
        let config = try ProviderConfig.load(path: configPath)
        let policy = try Policy.load(path: config.policyPath)
        let now = try at.map { try LegalTime.commandLine($0, option: "--at", bound: .start, zoneName: timeZone ?? config.timeZone) } ?? .now
        let lines = CaseStatus.lines(try CaseLedger.load(AuditLog(path: config.auditLogPath)), policy: policy, now: now, all: all)
        if json {
            let items: [JSONOutput] = lines.map { l in
                .object([("case", .string(l.history.id)), ("state", .string(l.state.rawValue)),
                         ("authority", .optional(l.history.authority)), ("country", .optional(l.history.country)),
                         ("instrument", .optional(l.history.instrument)), ("emergency", .bool(l.history.emergency)),
                         ("received", .optional(l.history.received?.description)), ("overdue", .bool(l.overdue)),
                         ("deadlines", .array(l.deadlines.map { .object([("kind", .string($0.kind.rawValue)), ("due", .string($0.due.description)),
                                                                          ("overdue", .bool($0.due < now))]) }))])
            }
            Output.print(JSONOutput.object([("at", .string(now.description)), ("cases", .array(items))]).pretty)
            return 0
        }
        guard !lines.isEmpty else { Output.print("No open cases\(all ? "" : " needing action") (at \(now)).\n"); return 0 }
        Output.print("Open cases at \(now), most urgent first:\n\n")
        for l in lines {
            let h = l.history
            var line = "\(l.overdue ? "OVERDUE " : "")\(h.id)  \(l.state.rawValue)  \(h.instrument ?? "?")  \(h.country ?? "??")"
            if h.emergency { line += "  EMERGENCY" }
            Output.print(line + "\n")
            for d in l.deadlines {
                Output.print("    \(d.kind.rawValue) due \(d.due) (\(relative(d.due, now)))\n")
            }
            if l.deadlines.isEmpty { Output.print("    no deadline; received \(h.received.map(\.description) ?? "?")\n") }
        }
        return 0
    }

    /// "in 3 h 20 min" / "4 d 2 h ago".
    static func relative(_ due: Instant, _ now: Instant) -> String {
        let s = (due.nanoseconds - now.nanoseconds) / 1_000_000_000
        let a = abs(s)
        let text = a >= 86_400 ? "\(a / 86_400) d \(a % 86_400 / 3600) h" : a >= 3600 ? "\(a / 3600) h \(a % 3600 / 60) min" : "\(a / 60) min"
        return s >= 0 ? "in \(text)" : "\(text) ago"
    }
}
