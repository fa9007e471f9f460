/// The reviewer's sheet: one self-contained HTML page (inline CSS, no script, no network,
/// prints on A4 or Letter) that a lawyer can open, print or attach to the case file. It is
/// rendered from the plan's own bytes (`PlanView`), carries the plan's full SHA-512 and the
/// exact `disclose approve` command, so the page is evidently the document being signed.
/// Every value is HTML-escaped: a hostile request or data map cannot inject markup.
public enum ReviewSheet {
    /// Scoped sample records of one dataset (`plan --sample N`): personal data.
    public struct Sample: Sendable {
        public var dataset: String
        /// The scoped output lines (JSON Lines records, or a CSV header then rows).
        public var lines: [String]
        public init(dataset: String, lines: [String]) { self.dataset = dataset; self.lines = lines }
    }

    /// The page for `view`. `planPath` names the saved plan (for its checksum) and
    /// `approveCommand` is how a reviewer signs it, as the front end spells it.
    public static func html(_ v: PlanView, planPath: String?, approveCommand: String, samples: [Sample] = []) -> String {
        let z = v.timeZone
        var h = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Review: plan for request \(e(v.requestID))</title>
        <style>\(ReviewSheetStyle.css)</style></head><body>

        """
        if !samples.isEmpty {
            h += "<p class=\"banner\">This sheet contains personal data: \(samples.count) dataset sample(s) of scoped records. Keep it with the case file; do not forward it.</p>\n"
        }
        h += "<header><p class=\"kicker\">Disclose — reviewer's sheet for request \(e(v.requestID))</p>\n"
        h += "<div class=\"verdict \(v.verdict.rawValue)\"><p class=\"word\">\(e(word(v.verdict)))</p><p>\(e(meaning(v)))</p></div>\n"
        h += "<p class=\"small\">Plan SHA-512 <code class=\"digest\">\(e(v.digest))</code></p></header>\n"

        h += section("The request")
        var rows: [(String, String)] = [
            ("Authority", (v.authorityName.map { "\($0) " } ?? "") + "(\(v.authorityID), \(v.authorityCountry))"),
            ("Instrument", "\(v.instrumentLabel) (\(v.instrumentType))"),
            ("Reference", v.reference),
            ("Issued by", PlanReport.people(v.issuerRole) + (v.issued.map { ", on \(LocalTime.both($0, zone: z))" } ?? "")),
            ("Valid until", v.expires.map { LocalTime.both($0, zone: z) } ?? "no expiry stated"),
            ("Received", v.receivedAt.map { LocalTime.both($0, zone: z) } ?? v.received),
            ("Legal basis", v.legalBasis),
        ]
        if let f = v.windowFrom, let t = v.windowTo {
            rows.append(("Time window", "\(LocalTime.wall(f, zone: z)) – \(LocalTime.wall(t, zone: z)) (\(LocalTime.label(z)))"))
            if z != nil { rows.append(("Time window (UTC)", "\(LocalTime.wall(f, zone: nil)) – \(LocalTime.wall(t, zone: nil))")) }
        }
        rows.append(("Categories requested", v.categoriesRequested.joined(separator: ", ")))
        rows.append(("Emergency", v.emergency ? "yes — emergency request" + (v.emergencyStatement.map { ": \($0)" } ?? "") : "no"))
        h += table(["", ""], rows.map { [e($0.0), e($0.1)] }, headless: true)

        h += section("Policy checks")
        h += table(["Check", "Result", "Detail"], cls: "checks", v.checks.map { [e($0.name), "<span class=\"\(e($0.outcome))\">\(e($0.outcome))</span>", e($0.detail)] })
        h += table(["Category", "Requested", "Decision", "Why"], cls: "cats", v.categories.map {
            [e($0.name), $0.requested ? "yes" : "no", $0.granted ? "<span class=\"pass\">granted</span>" : ($0.requested ? "<span class=\"fail\">refused</span>" : "—"), e($0.reason)]
        })

        h += section("Subjects")
        h += v.subjects.isEmpty ? "<p>None resolved: the request was refused before subjects were looked up.</p>\n" : table(["Identifier", "Value", "At", "Resolved to"], v.subjects.map {
            [e($0.type), e($0.value), e($0.time.map { LocalTime.both($0, zone: z) } ?? "—"),
             $0.accounts == 0 ? "<span class=\"fail\">not resolved: nothing disclosed for it</span>"
                 : e("\($0.accounts) account(s)" + ($0.resolvedVia.isEmpty ? "" : " via \($0.resolvedVia.joined(separator: ", "))"))
                   + ($0.lookAlikeRecords > 0 ? "<br><span class=\"warn\">\($0.lookAlikeRecords) record(s) in \($0.lookAlikeAccounts) other account(s) carry a look-alike identifier: not resolved, nothing disclosed for them</span>" : "")]
        })

        for d in v.datasets { h += dataset(d, samples.first { $0.dataset == d.name }) }

        h += section("Never disclosed, and why")
        var never: [String] = []
        for d in v.datasets { for f in d.fields where f.category == "never" || f.unmapped { never.append("<li><code>\(e(d.name)).\(e(f.path))</code> — \(e(f.reason))</li>") } }
        for c in v.categories where c.requested && !c.granted { never.append("<li>all <b>\(e(c.name))</b> data — \(e(c.reason))</li>") }
        h += never.isEmpty ? "<p>No field is marked never-disclosed.</p>\n" : "<ul>\(never.joined(separator: "\n"))</ul>\n"

        h += section("Recipients")
        h += v.recipients.isEmpty ? "<p>Not shown: the policy this plan was made from is not at hand.</p>\n"
            : table(["Role", "age recipient"], v.recipients.map { [e($0.role), "<code>\(e($0.recipient))</code>"] })

        h += section("Approvals")
        h += "<p>Required: \(e(PlanReport.approvals(v))), and no rejection by a trusted reviewer.</p>\n"
        if v.approvalsLooked {
            h += v.decisions.isEmpty ? "<p>None yet.</p>\n" : table(["Decision", "Reviewer", "Role", "Key", "Time", "Reason"], cls: "approvals", v.decisions.map {
                [e($0.verdict), e($0.reviewer), e($0.role), "<code>\(e($0.keyID))</code>", e(LocalTime.both($0.time, zone: z)), e($0.reason ?? "")]
            })
            h += v.stillRequired.isEmpty ? "<p class=\"pass\">The approvals required are met.</p>\n"
                : "<p>Still required:</p><ul>\(v.stillRequired.map { "<li>\(e($0))</li>" }.joined())</ul>\n"
        } else {
            h += "<p>Decisions so far: none recorded for this sheet (it was made with the plan).</p>\n"
        }
        if !v.notes.isEmpty { h += "<ul class=\"notes\">\(v.notes.map { "<li>\(e($0))</li>" }.joined())</ul>\n" }

        h += section("What you sign")
        h += "<p>Your approval is a signature over the plan document whose SHA-512 is</p>\n"
        h += "<p><code class=\"digest big\">\(e(v.digest))</code></p>\n"
        if v.verdict == .refused {
            return h + "<p>This plan is refused: nothing can be exported from it, so there is nothing to approve.</p>\n</body></html>\n"
        }
        h += "<p>Check that <code>sha512sum \(e(planPath ?? "PLAN"))</code> prints exactly this, then sign with:</p>\n"
        h += "<pre>\(e(approveCommand))</pre>\n"
        h += "<p>or reject with <code>--reject --reason TEXT</code>. Export refuses unless it reproduces this very plan.</p>\n"
        h += "</body></html>\n"
        return h
    }

    private static func dataset(_ d: PlanView.Dataset, _ sample: Sample?) -> String {
        var h = section("Dataset \(d.name)", level: 3)
        h += "<p class=\"desc\">\(e(d.description ?? "(no description: the data map at hand is not the plan's)"))</p>\n"
        var facts = "\(d.format), \(d.inputFiles) input file(s)"
        if let f = d.timeField, let t = d.timeFormat { facts += "; record time in <code>\(e(f))</code> (\(e(t)))" }
        if !d.windowApplies { facts += "; no time window applies (current-state data)" }
        h += "<p class=\"small\">\(facts)</p>\n"
        h += table(["Scanned", "Of the subjects", "Outside the window", "Withheld: bad time", "Disclosed"],
                   [["\(d.scanned)", "\(d.ofSubjects)", d.windowApplies ? "\(d.outsideWindow)" : "—", d.windowApplies ? "\(d.unparseableTime)" : "—", "<b>\(d.disclosed)</b>"]])
        h += "<table class=\"fields\"><thead><tr><th>Field</th><th>Category</th><th>Values</th></tr></thead>\n"
        for g in d.groups {
            h += "<tbody><tr class=\"group\"><th colspan=\"3\"><span class=\"act \(e(g.action))\">\(e(g.action))</span> \(e(g.reason))</th></tr>\n"
            for f in g.fields {
                h += "<tr><td><code>\(e(f.path))</code></td><td>\(e(f.category))\(f.thirdParty ? " (third party)" : "")</td><td>\(f.values)</td></tr>\n"
            }
            h += "</tbody>\n"
        }
        h += "</table>\n"
        h += "<p class=\"small\">Scoped output: \(e(d.outputName)), \(d.outputBytes) bytes, BLAKE2b-512 <code class=\"digest\">\(e(d.outputBLAKE2b512))</code></p>\n"
        if let sample { h += ReviewSheetSample.html(sample, dataset: d) }
        return h
    }

    static func word(_ v: CaseOutcome.Verdict) -> String {
        switch v { case .disclose: return "DISCLOSE"; case .noData: return "NO DATA FOUND"; case .refused: return "REFUSED" }
    }

    static func meaning(_ v: PlanView) -> String {
        switch v.verdict {
        case .refused: return "The request fails the provider's policy. Nothing will be disclosed; the failed checks below say why."
        case .noData: return "The request is valid, but no record of the subjects falls in scope. Nothing leaves; the authority is told no data was found."
        case .disclose where v.preservation:
            return "A preservation: \(v.recordsDisclosed) records would be sealed, encrypted only to the provider's escrow (disclose preserve). Nothing is disclosed to the authority; no approval is needed."
        case .disclose: return "If approved, \(v.recordsDisclosed) records from \(v.datasets.filter { $0.disclosed > 0 }.count) dataset(s) leave, encrypted for the authority, after \(PlanReport.approvals(v)). Only the fields below marked disclose, pseudonymize, mask or ip_prefix leave."
        }
    }

    static func section(_ title: String, level: Int = 2) -> String { "<h\(level)>\(e(title))</h\(level)>\n" }

    static func table(_ head: [String], cls: String? = nil, _ rows: [[String]], headless: Bool = false) -> String {
        var h = cls.map { "<table class=\"\($0)\">" } ?? "<table>"
        if !headless { h += "<thead><tr>\(head.map { "<th>\(e($0))</th>" }.joined())</tr></thead>" }
        h += "<tbody>\n"
        for r in rows { h += "<tr>" + r.enumerated().map { headless && $0.offset == 0 ? "<th>\($0.element)</th>" : "<td>\($0.element)</td>" }.joined() + "</tr>\n" }
        return h + "</tbody></table>\n"
    }

    /// HTML text and attribute escaping (the XML escaper: & < > " and control characters).
    static func e(_ s: String) -> String { XMLWriter.escape(s) }
}
