import DiscloseKit

/// `disclose status`: open cases, most urgent first, with their deadlines.
enum StatusCommand {
    static func run(config configPath: String?, json: Bool, all: Bool, at: String?, timeZone: String?) throws -> Int32 {
        let config = try ProviderConfig.load(path: configPath)
        let policy = try Policy.load(path: config.policyPath)
        let now = try at.map { try LegalTime.commandLine($0, option: "--at", bound: .start, zoneName: timeZone ?? config.timeZone) } ?? .now
        let histories = try CaseLedger.load(AuditLog(path: config.auditLogPath))
        let lines = CaseStatus.lines(histories, policy: policy, now: now, all: all)
        let voided = CaseStatus.voidedCount(histories)
        if json {
            let items: [JSONOutput] = lines.map { l in
                .object([("case", .string(l.history.id)), ("state", .string(l.state.rawValue)),
                         ("authority", .optional(l.history.authority)), ("country", .optional(l.history.country)),
                         ("instrument", .optional(l.history.instrument)), ("emergency", .bool(l.history.emergency)),
                         ("received", .optional(l.history.received?.description)), ("overdue", .bool(l.overdue)),
                         ("deadlines", .array(l.deadlines.map { .object([("kind", .string($0.kind.rawValue)), ("due", .string($0.due.description)),
                                                                          ("overdue", .bool($0.due < now))]) })),
                         ("approvals", l.approvals?.json ?? .null), ("notice", l.notice?.json(at: now) ?? .null),
                         ("next", .string(NextStepCommand.advice(l.nextStep)))])
            }
            Output.print(JSONOutput.object([("at", .string(now.description)), ("cases", .array(items)), ("voided", .int(voided))]).pretty)
            return 0
        }
        let voidedNote = voided > 0 ? "\(voided) voided case\(voided == 1 ? "" : "s") left out.\n" : ""
        guard !lines.isEmpty else { Output.print("No open cases\(all ? "" : " needing action") (at \(now)).\n" + voidedNote); return 0 }
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
            if let p = l.approvals {
                let approved = p.approvals.map { "\($0.role ?? "?") \($0.keyID)" }
                Output.print("    approvals: \(approved.isEmpty ? "none" : approved.joined(separator: ", ")) of \(p.rule.count) required"
                             + (p.rule.roles.isEmpty ? "" : " (roles \(p.rule.roles.joined(separator: ", ")))") + "\n")
                for u in p.unknown { Output.print("    approval by key \(u.keyID), which the policy does not know: not counted\n") }
                for r in p.rejections { Output.print("    REJECTED by \(r.role ?? "unknown key") \(r.keyID)\n") }
                if let m = p.missingText, p.rejections.isEmpty { Output.print("    still required: \(m)\n") }
            }
            if let n = l.notice { Output.print("    user notice: \(noticeText(n, now))\n") }
            Output.print("    next: \(NextStepCommand.advice(l.nextStep))\n")
        }
        if !voidedNote.isEmpty { Output.print("\n" + voidedNote) }
        return 0
    }

    /// One line on telling the user.
    static func noticeText(_ n: NoticeStatus, _ now: Instant) -> String {
        let order = n.order.flatMap { $0.isOrder ? " (order \($0.reference ?? "?"))" : nil } ?? ""
        switch n.state {
        case .given: return "given \(n.given?.description ?? "?")"
        case .notRequired: return "not required"
        case .prohibited: return "prohibited until \(n.until?.description ?? "?")\(order); then due by \(n.due?.description ?? "?")"
        case .emergency: return "deferred until the emergency passes (\(n.until?.description ?? "?")); then due by \(n.due?.description ?? "?")"
        case .due:
            guard let d = n.due else { return "due before disclosure\(order)" }
            return "\(n.overdue(at: now) ? "OVERDUE, " : "")due by \(d) (\(relative(d, now)))\(order)"
        }
    }

    /// "in 3 h 20 min" / "4 d 2 h ago".
    static func relative(_ due: Instant, _ now: Instant) -> String {
        let s = (due.nanoseconds - now.nanoseconds) / 1_000_000_000
        let a = abs(s)
        let text = a >= 86_400 ? "\(a / 86_400) d \(a % 86_400 / 3600) h" : a >= 3600 ? "\(a / 3600) h \(a % 3600 / 60) min" : "\(a / 60) min"
        return s >= 0 ? "in \(text)" : "\(text) ago"
    }
}
