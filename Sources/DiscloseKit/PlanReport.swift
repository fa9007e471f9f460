/// The readable dry-run report: what a compliance officer and the reviewers read before
/// anyone approves. Same facts as the plan document, laid out for people.
public enum PlanReport {
    /// The report as text.
    public static func text(_ o: CaseOutcome) -> String {
        let r = o.files.request
        let d = o.decision
        var out = ""
        func line(_ s: String = "") { out += s + "\n" }
        line("Plan for request \(r.id)")
        line("  authority:   \(r.authority)\(d.authority.map { " — \($0.name) (\($0.country))" } ?? "")")
        line("  instrument:  \(r.instrument.type) \(r.instrument.reference), issued by '\(r.instrument.issuerRole)' on \(r.instrument.issued)\(r.instrument.expires.map { ", expires \($0)" } ?? "")")
        line("  legal basis: \(d.legalBasis)")
        for (i, w) in WindowDisplay.lines(r).enumerated() { line((i == 0 ? "  window:      " : "               ") + w) }
        if let e = r.emergency { line("  EMERGENCY:   \(e.statement)") }
        line()
        line("Policy checks")
        for c in d.checks {
            let mark = c.outcome == .pass ? "ok  " : c.outcome == .fail ? "FAIL" : "warn"
            line("  [\(mark)] \(c.name): \(c.detail)")
        }
        line()
        line("Categories")
        for c in d.categories where c.requested {
            line("  \(c.granted ? "grant " : "REFUSE") \(c.category.rawValue): \(c.reason)")
        }
        line()
        switch o.verdict {
        case .refused:
            line("VERDICT: REFUSED — nothing will be disclosed.")
            return out
        case .noData:
            line("VERDICT: NO DATA FOUND — the request is valid but no record of the subjects is in scope.")
        case .disclose:
            line("VERDICT: DISCLOSE — \(o.datasets.reduce(0) { $0 + $1.statistics.recordsDisclosed }) records after \(d.approvals.count) approval(s)\(d.approvals.roles.isEmpty ? "" : " (roles: \(d.approvals.roles.joined(separator: ", ")))").")
        }
        line()
        line("Subjects")
        for s in o.subjects {
            let t = s.subject.time.map { " at \($0)" } ?? ""
            let res = s.accounts.isEmpty ? "NOT RESOLVED — no account found; nothing disclosed for it"
                                         : "\(s.accounts.count) account(s): \(s.accounts.joined(separator: ", "))\(s.via.isEmpty ? "" : " via \(s.via.joined(separator: ", "))")"
            line("  \(s.subject.kind.rawValue) \(s.subject.value)\(t) → \(res)")
            if s.lookAlikeRecords > 0 {
                line("    WARNING: \(s.lookAlikeRecords) record(s) in \(s.lookAlikeAccounts) other account(s) carry a look-alike identifier, equal to this one only under Unicode case folding or normalization (e.g. K written as KELVIN SIGN): NOT resolved, nothing disclosed for them; check the request's spelling")
            }
        }
        for ds in o.datasets {
            let s = ds.statistics
            line()
            line("Dataset \(ds.decision.dataset.name) (\(ds.decision.dataset.format.rawValue), \(ds.inputFiles.count) file(s))")
            if !ds.decision.disclosesAnything { line("  no field of this dataset may be disclosed: no record is selected") }
            line("  records: \(s.recordsScanned) scanned, \(s.recordsForSubjects) of the subjects, \(s.recordsOutsideWindow) outside the window, \(s.recordsWithUnparseableTime) withheld for an unparseable time, \(s.recordsDisclosed) disclosed")
            for f in ds.decision.fields {
                let n = (s.fieldActions[f.path.description] ?? [:]).values.reduce(0, +)
                let tp = f.thirdParty ? ", third party" : ""
                line("  \(pad(f.action.rawValue, 12)) \(pad(f.path.description, 24)) [\(f.category.rawValue)\(tp)] \(n) value(s) — \(f.reason)")
            }
            for (path, n) in s.unmappedFields.sorted(by: { $0.key < $1.key }) {
                line("  \(pad("withhold", 12)) \(pad(path, 24)) [unmapped] \(n) value(s) — not in the data map")
            }
            for (path, n) in s.emptyContainers.sorted(by: { $0.key < $1.key }) {
                line("  \(pad("keep empty", 12)) \(pad(path, 24)) [empty] \(n) value(s) — empty in the record, kept as [] or {}")
            }
            line("  output: \(ds.outputName), \(s.outputBytes) bytes, blake2b512 \(ds.outputBLAKE2b512.prefix(16))…")
        }
        return out
    }

    private static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
    }
}
