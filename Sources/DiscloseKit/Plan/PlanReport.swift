/// The readable dry-run report: what a compliance officer and the reviewers read before
/// anyone approves. Same facts as the plan document (it is rendered from the plan's own
/// bytes), laid out for an 80-column terminal: the verdict first and last, each long
/// reason said once per group of fields, times in the authority's zone beside UTC.
public enum PlanReport {
    /// Lines are filled to this width; only unbreakable words run longer.
    static let width = 80

    /// The full report of `view`. `approveCommand` is how reviewers sign the saved plan, as
    /// the front end spells it (nil when the plan was not saved: no line).
    public static func text(_ view: PlanView, style: TerminalStyle = .plain, approveCommand: String? = nil, written: [String] = []) -> String {
        var out: [String] = []
        func wrap(_ text: String, _ first: String, _ rest: String) { out += TextWrap.lines(text, width: width, first: first, rest: rest) }
        let z = view.timeZone
        out += verdictLines(view, style)
        out.append("")
        out += request(view, style)
        if view.verdict != .refused || !view.subjects.isEmpty {
            out.append("")
            out.append(style.strong("Subjects"))
            for s in view.subjects {
                let at = s.time.map { " at \(LocalTime.both($0, zone: z))" } ?? ""
                let res = s.accounts == 0 ? style.bad("NOT RESOLVED") + ": no account found, nothing disclosed for it"
                    : "\(s.accounts) account\(s.accounts == 1 ? "" : "s")\(s.resolvedVia.isEmpty ? "" : " (via \(s.resolvedVia.joined(separator: ", ")))")"
                wrap("\(s.type) \(s.value)\(at) → \(res)", "  ", "    ")
                if s.lookAlikeRecords > 0 {
                    wrap(style.warn("WARNING") + ": \(s.lookAlikeRecords) record(s) in \(s.lookAlikeAccounts) other account(s) carry a look-alike identifier (equal only under Unicode case folding or normalization): NOT resolved, nothing disclosed for them; check the request's spelling", "    ", "    ")
                }
            }
        }
        for d in view.datasets { dataset(d, view, style, &out) }
        if !view.recipients.isEmpty {
            out.append(style.strong("Recipients") + " (age): " + view.recipients.map { "\($0.role) \($0.recipient.prefix(12))…" }.joined(separator: ", "))
        }
        for n in view.notes { out.append(""); wrap("Note: \(n)", "", "  ") }
        out.append("")
        out.append("Plan sha512 \(view.digest.prefix(64))")
        out.append("            \(view.digest.dropFirst(64))")
        if let approveCommand, view.verdict != .refused { wrap("Reviewers: \(approveCommand)", "", "  ") }
        out += written
        out.append(lastLine(view, style))
        return out.joined(separator: "\n") + "\n"
    }

    /// The verdict and what it means, for the top of the report.
    static func verdictLines(_ v: PlanView, _ style: TerminalStyle) -> [String] {
        switch v.verdict {
        case .refused:
            return ["VERDICT: \(style.verdict(.refused)) — the request fails the policy; nothing will be disclosed."]
        case .noData:
            return TextWrap.lines("VERDICT: \(style.verdict(.noData)) — the request is valid, but no record of the subjects is in scope; nothing leaves.", width: width + (style.colour ? 11 : 0), first: "", rest: "  ")
        case .disclose where v.preservation:
            return ["VERDICT: \(style.verdict(.disclose)) — a preservation: \(v.recordsDisclosed) records sealed to escrow, none disclosed."]
        case .disclose:
            return ["VERDICT: \(style.verdict(.disclose)) — \(v.recordsDisclosed) records would leave after \(approvals(v))."]
        }
    }

    /// The last line: the verdict again, so it is on screen when the report ends.
    public static func lastLine(_ v: PlanView, _ style: TerminalStyle) -> String {
        switch v.verdict {
        case .refused: return "VERDICT: \(style.verdict(.refused)) — nothing will be disclosed."
        case .noData: return "VERDICT: \(style.verdict(.noData)) — nothing leaves."
        case .disclose: return "VERDICT: \(style.verdict(.disclose)) — \(v.recordsDisclosed) records, after \(approvals(v))."
        }
    }

    static func approvals(_ v: PlanView) -> String {
        "\(v.approvalsCount) approval\(v.approvalsCount == 1 ? "" : "s")\(v.approvalRoles.isEmpty ? "" : " (\(v.approvalRoles.joined(separator: ", ")))")"
    }

    private static func request(_ v: PlanView, _ style: TerminalStyle) -> [String] {
        var out: [String] = []
        func item(_ label: String, _ text: String) { out += TextWrap.lines(text, width: width, first: "  " + pad(label, 12) + " ", rest: String(repeating: " ", count: 15)) }
        let z = v.timeZone
        out.append(style.strong("Request \(v.requestID)") + (v.emergency ? " — " + style.warn("EMERGENCY") : ""))
        item("authority", (v.authorityName.map { "\($0) — " } ?? "") + "\(v.authorityID), \(v.authorityCountry)")
        item("instrument", "\(v.instrumentLabel): \(v.reference)")
        item("issued", "by the \(people(v.issuerRole))" + (v.issued.map { " on \(LocalTime.both($0, zone: z))" } ?? "")
             + (v.expires.map { "; expires \(LocalTime.wall($0, zone: z))" } ?? ""))
        if let r = v.receivedAt { item("received", LocalTime.both(r, zone: z)) }
        if let e = v.emergencyStatement { item(style.warn("emergency") + "  ", e) }
        item("legal basis", v.legalBasis)
        if let f = v.windowFrom, let t = v.windowTo {
            if z != nil { item("window", "\(LocalTime.wall(f, zone: z)) – \(LocalTime.wall(t, zone: z)) (\(z!))") }
            item(z == nil ? "window" : "", "\(LocalTime.wall(f, zone: nil)) – \(LocalTime.wall(t, zone: nil))\(z == nil ? " (the policy names no time zone for this authority)" : "")")
        }
        let passed = v.checks.filter { $0.outcome == "pass" }
        if !passed.isEmpty {
            out += TextWrap.items(style.good("\(passed.count) passed") + ":", passed.map(\.name), width: width + (style.colour ? 9 : 0),
                                  first: "  " + pad("checks", 12) + " ", rest: String(repeating: " ", count: 15))
        }
        for c in v.checks where c.outcome != "pass" {
            item(c.outcome == "fail" ? style.bad("FAILED") + "     " : style.warn("warning") + "    ", "\(c.name): \(short(c.detail, v))")
        }
        let requested = v.categories.filter(\.requested)
        let granted = requested.filter(\.granted).map(\.name)
        if !granted.isEmpty { item("granted", granted.joined(separator: ", ") + " (under the legal basis)") }
        for c in requested where !c.granted { item(style.bad("REFUSED") + "     ", "\(c.name): \(short(c.reason, v))") }
        return out
    }

    private static func dataset(_ d: PlanView.Dataset, _ v: PlanView, _ style: TerminalStyle, _ out: inout [String]) {
        out.append("")
        var head = d.name
        if let f = d.timeField, let t = d.timeFormat { head += " (time: \(f), \(t))" }
        out += TextWrap.lines(head + (d.description.map { ": \($0)" } ?? ""), width: width, first: "", rest: "  ").enumerated()
            .map { $0.offset == 0 ? style.strong($0.element) : $0.element }
        var counts = "\(d.scanned) scanned, \(d.ofSubjects) of the subjects, "
        counts += d.windowApplies ? "\(d.outsideWindow) outside window, \(d.unparseableTime) bad time" : "no window applies"
        out.append("  \(counts): \(d.disclosed) disclosed")
        for g in d.groups {
            let action = g.action == "withhold" ? g.action : style.strong(g.action)
            let first = "  " + action + String(repeating: " ", count: max(1, 13 - g.action.count))
            out += TextWrap.lines(short(g.reason, v) + ": " + g.fields.map(\.path).joined(separator: ", "), width: width,
                                  first: first, rest: String(repeating: " ", count: 15))
        }
    }

    /// A reason with the instrument's legal basis (stated once above) shortened.
    static func short(_ reason: String, _ v: PlanView) -> String {
        v.legalBasis.isEmpty ? reason : reason.replacingOccurrences(of: v.legalBasis, with: "the legal basis")
    }

    /// `investigating_judge` → `investigating judge`.
    static func people(_ name: String) -> String { name.replacingOccurrences(of: "_", with: " ") }

    private static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
    }
}
