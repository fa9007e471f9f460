/// `summary.html`, written by `verify --extract` beside the decrypted files: what was
/// disclosed, under which instrument, what was withheld and why — for the authority's
/// analyst, read from the authenticated disclosure record only (its embedded plan gives
/// the request; its redaction log gives the fields). Self-contained, every value escaped.
public enum DisclosureSummary {
    /// The page for an authenticated disclosure record.
    public static func html(record: DisclosureRecord) throws -> String {
        let v = try PlanView(plan: Array(record.planDocument.utf8), file: "record.json: plan_document")
        let e = ReviewSheet.e
        var h = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <title>Disclosure \(e(record.bundleID)) for request \(e(v.requestID))</title>
        <style>\(ReviewSheetStyle.css)</style></head><body>
        <p class="banner">Personal data: this summary and the files beside it were disclosed for request \(e(v.requestID)) only.</p>
        <header><p class="kicker">Disclosure bundle \(e(record.bundleID))</p>
        <h1>What was disclosed for request \(e(v.requestID))</h1>
        <p class="small">Read from the authenticated disclosure record (record.json); its embedded plan has SHA-512 <code class="digest">\(e(v.digest))</code>.</p></header>

        """
        h += ReviewSheet.section("Under which instrument")
        var rows: [(String, String)] = [
            ("Authority", "\(v.authorityID) (\(v.authorityCountry))"), ("Instrument", v.instrumentType), ("Reference", v.reference),
            ("Issued by", PlanReport.people(v.issuerRole) + (v.issued.map { ", \(LocalTime.wall($0, zone: nil))" } ?? "")),
            ("Legal basis", v.legalBasis), ("Categories requested", v.categoriesRequested.joined(separator: ", ")),
        ]
        if let f = v.windowFrom, let t = v.windowTo { rows.append(("Time window (UTC)", "\(LocalTime.wall(f, zone: nil)) – \(LocalTime.wall(t, zone: nil))")) }
        h += ReviewSheet.table(["", ""], rows.map { [e($0.0), e($0.1)] }, headless: true)
        h += ReviewSheet.table(["Category", "Decision", "Why"], v.categories.filter(\.requested).map {
            [e($0.name), $0.granted ? "<span class=\"pass\">granted</span>" : "<span class=\"fail\">refused</span>", e($0.reason)]
        })

        h += ReviewSheet.section("Subjects")
        h += ReviewSheet.table(["Identifier", "Value", "At", "Accounts"], record.subjects.map { x in
            [e(x.type), e(x.value), e(x.time ?? "—"),
             x.accounts.isEmpty ? "<span class=\"fail\">not resolved</span>" : e(x.accounts.joined(separator: ", "))]
        })

        for d in record.datasets {
            let name = d.name
            h += ReviewSheet.section("Dataset \(name)", level: 3)
            var facts = "file \(e(d.file ?? "").isEmpty ? "—" : e(d.file ?? ""))"
            if let f = d.timeField { facts += "; record time in <code>\(e(f))</code> (\(e(d.timeFormat ?? "")): \(e(timeMeaning(d.timeFormat ?? ""))))" }
            h += "<p class=\"small\">\(facts); plaintext BLAKE2b-512 <code class=\"digest\">\(e(d.plaintextBLAKE2b512))</code></p>\n"
            let r = d.records
            h += ReviewSheet.table(["Scanned", "Of the subjects", "Outside the window", "Withheld: bad time", "Disclosed"],
                                   [[r.scanned, r.ofSubjects, r.outsideWindow, r.unparseableTime, r.disclosed].map { "\($0)" }])
            var groups: [(String, String, [String])] = []
            for entry in record.redactionLog where entry.dataset == name {
                let key = (entry.action, entry.reason)
                if let i = groups.firstIndex(where: { $0.0 == key.0 && $0.1 == key.1 }) { groups[i].2.append(entry.field) }
                else { groups.append((key.0, key.1, [entry.field])) }
            }
            groups.sort { order($0.0) < order($1.0) }
            h += ReviewSheet.table(["Action", "Fields", "Why"], groups.map {
                ["<span class=\"act \(e($0.0))\">\(e($0.0))</span>", $0.2.map { "<code>\(e($0))</code>" }.joined(separator: ", "), e($0.1)]
            })
        }
        h += "<p class=\"small\">Pseudonyms (pn:…) are keyed per case: the same correspondent has the same pseudonym throughout this bundle. Masked values keep only their shape; IP prefixes keep the network (/24, /48).</p>\n"
        return h + "</body></html>\n"
    }

    static func order(_ action: String) -> Int { FieldAction.allCases.firstIndex { $0.rawValue == action } ?? 99 }

    static func timeMeaning(_ format: String) -> String {
        switch format {
        case "epoch_ms": return "milliseconds since 1970-01-01T00:00:00Z"
        case "epoch_s": return "seconds since 1970-01-01T00:00:00Z"
        default: return "RFC 3339 date-time with its UTC offset"
        }
    }
}
