/// `disclose status` as the library renders it: the open cases, most urgent first, with
/// their deadlines, approvals so far and user notice — as text for a person and as JSON
/// for a machine. The command line only prints what this returns.
public enum CaseStatusReport {
    /// The JSON answer (`status --json`): every line of `lines`, at `now`, and how many
    /// cases were voided (left out).
    public static func json(_ lines: [CaseStatusLine], voided: Int, now: Instant,
                            next: (CaseNextStep.Advice) -> String) -> JSONOutput {
        let items: [JSONOutput] = lines.map { l in
            .object([("case", .string(l.history.id)), ("state", .string(l.state.rawValue)),
                     ("authority", .optional(l.history.authority)), ("country", .optional(l.history.country)),
                     ("instrument", .optional(l.history.instrument)), ("emergency", .bool(l.history.emergency)),
                     ("received", .optional(l.history.received?.description)), ("overdue", .bool(l.overdue)),
                     ("deadlines", .array(l.deadlines.map { .object([("kind", .string($0.kind.rawValue)), ("due", .string($0.due.description)),
                                                                      ("overdue", .bool($0.due < now))]) })),
                     ("approvals", l.approvals?.json ?? .null), ("notice", l.notice?.json(at: now) ?? .null),
                     ("next", .string(next(l.nextStep)))])
        }
        return JSONOutput.object([("at", .string(now.description)), ("cases", .array(items)), ("voided", .int(voided))])
    }

    /// The text answer: one block per case, or a line saying there is nothing to do.
    public static func text(_ lines: [CaseStatusLine], voided: Int, now: Instant, all: Bool,
                            next: (CaseNextStep.Advice) -> String) -> String {
        var out = ""
        let voidedNote = voided > 0 ? "\(voided) voided case\(voided == 1 ? "" : "s") left out.\n" : ""
        guard !lines.isEmpty else { return "No open cases\(all ? "" : " needing action") (at \(now)).\n" + voidedNote }
        out += "Open cases at \(now), most urgent first:\n\n"
        for l in lines {
            let h = l.history
            var line = "\(l.overdue ? "OVERDUE " : "")\(h.id)  \(l.state.rawValue)  \(h.instrument ?? "?")  \(h.country ?? "??")"
            if h.emergency { line += "  EMERGENCY" }
            out += line + "\n"
            for d in l.deadlines {
                out += "    \(d.kind.rawValue) due \(d.due) (\(relative(d.due, now)))\n"
            }
            if l.deadlines.isEmpty { out += "    no deadline; received \(h.received.map(\.description) ?? "?")\n" }
            if let p = l.approvals {
                let approved = p.approvals.map { "\($0.role ?? "?") \($0.keyID)" }
                out += "    approvals: \(approved.isEmpty ? "none" : approved.joined(separator: ", ")) of \(p.rule.count) required"
                             + (p.rule.roles.isEmpty ? "" : " (roles \(p.rule.roles.joined(separator: ", ")))") + "\n"
                for u in p.unknown { out += "    approval by key \(u.keyID), which the policy does not know: not counted\n" }
                for r in p.rejections { out += "    REJECTED by \(r.role ?? "unknown key") \(r.keyID)\n" }
                if let m = p.missingText, p.rejections.isEmpty { out += "    still required: \(m)\n" }
            }
            if let n = l.notice { out += "    user notice: \(noticeText(n, now))\n" }
            out += "    next: \(next(l.nextStep))\n"
        }
        if !voidedNote.isEmpty { out += "\n" + voidedNote }
        return out
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
