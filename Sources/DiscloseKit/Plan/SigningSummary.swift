/// What a reviewer signs, shown by `approve` before the signature is made: the request,
/// window, subjects, categories, per dataset what is disclosed (and how) and withheld,
/// the recipients, and the plan digest — all read from the plan's own bytes.
extension PlanReport {
    /// The summary for `view`, about to be signed with `verdict` (`approve` or `reject`).
    public static func signing(_ v: PlanView, verdict: String, style: TerminalStyle = .plain) -> String {
        var out: [String] = []
        func item(_ label: String, _ text: String) {
            out += TextWrap.lines(text, width: width, first: "  " + label.padding(toLength: 12, withPad: " ", startingAt: 0) + " ",
                                  rest: String(repeating: " ", count: 15))
        }
        let z = v.timeZone
        out.append(style.strong("You are about to \(verdict.uppercased()) this plan") + " (verdict \(style.verdict(v.verdict)), \(v.recordsDisclosed) records):")
        item("request", "\(v.requestID) from " + (v.authorityName.map { "\($0) (\(v.authorityID), \(v.authorityCountry))" } ?? "\(v.authorityID), \(v.authorityCountry)"))
        item("instrument", "\(v.instrumentLabel): \(v.reference); issued by the \(people(v.issuerRole))")
        if let f = v.windowFrom, let t = v.windowTo {
            if let z { item("window", "\(LocalTime.wall(f, zone: z)) – \(LocalTime.wall(t, zone: z)) (\(z))") }
            item(z == nil ? "window" : "", "\(LocalTime.wall(f, zone: nil)) – \(LocalTime.wall(t, zone: nil))")
        }
        item("subjects", v.subjects.map { s in
            "\(s.type) \(s.value)\(s.time.map { " at \(LocalTime.both($0, zone: z))" } ?? "") (\(s.accounts == 0 ? "not resolved" : "\(s.accounts) account\(s.accounts == 1 ? "" : "s")"))"
        }.joined(separator: "; "))
        let requested = v.categories.filter(\.requested)
        item("categories", "granted: " + (requested.filter(\.granted).map(\.name).joined(separator: ", ").nonEmpty ?? "none")
             + "; refused: " + (requested.filter { !$0.granted }.map(\.name).joined(separator: ", ").nonEmpty ?? "none"))
        for d in v.datasets {
            var parts: [String] = ["\(d.disclosed) records"]
            for action in FieldAction.allCases {
                // Names of unmapped members come from the records: counted here, not named.
                var names = d.fields.filter { $0.action == action.rawValue && !$0.unmapped }.map(\.path)
                let unmapped = d.fields.filter { $0.action == action.rawValue && $0.unmapped }.count
                if unmapped > 0 { names.append("\(unmapped) field\(unmapped == 1 ? "" : "s") not in the data map") }
                if !names.isEmpty { parts.append("\(action == .withhold ? "withheld" : action.rawValue): " + names.joined(separator: ", ")) }
            }
            item(d.name, parts.joined(separator: "; "))
        }
        if v.recipients.isEmpty { item("recipients", "not known here (the plan's policy is not at hand)") }
        for (i, r) in v.recipients.enumerated() { item(i == 0 ? "recipients" : "", "\(r.role): \(r.recipient)") }
        out.append("  plan sha512  \(v.digest.prefix(64))")
        out.append("               \(v.digest.dropFirst(64))")
        return out.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// Nil for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
