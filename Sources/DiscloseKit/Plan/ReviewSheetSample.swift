/// Sample records on the reviewer's sheet (`plan --sample N`): each scoped record as a
/// list of its fields, with every redacted value (pseudonymized, masked, cut to an IP
/// prefix) visibly marked, so the reviewer sees exactly what leaves. Personal data: the
/// sheet carries a banner saying so.
enum ReviewSheetSample {
    static func html(_ sample: ReviewSheet.Sample, dataset d: PlanView.Dataset) -> String {
        guard sample.lines.count > (d.format == "csv" ? 1 : 0) else { return "" }   // nothing in scope: no sample
        let actions = Dictionary(d.fields.map { ($0.path, $0.action) }, uniquingKeysWith: { a, _ in a })
        var h = "<h3>Sample of \(ReviewSheet.e(d.name)) (\(sample.lines.count - (d.format == "csv" ? 1 : 0)) record(s), personal data)</h3>\n"
        if d.format == "csv" {
            guard let header = sample.lines.first else { return h }
            let names = cells(header)
            let rows = sample.lines.dropFirst().map { line in
                zip(names, cells(line)).map { mark($1, actions[$0]) }
            }
            return h + ReviewSheet.table(names, Array(rows))
        }
        for line in sample.lines {
            var rows: [[String]] = []
            if let node = try? DocumentJSON.parse(Array(line.utf8), file: "sample") { flatten(node, "", actions, &rows) }
            else { rows.append(["(record)", ReviewSheet.e(line)]) }
            h += ReviewSheet.table(["Field", "Value as it leaves"], rows)
        }
        return h
    }

    /// One row per leaf value; array elements share their path (`to[]`).
    private static func flatten(_ n: DocumentJSON.Node, _ path: String, _ actions: [String: String], _ rows: inout [[String]]) {
        switch n.value {
        case .object(let members):
            for m in members { flatten(m.value, path.isEmpty ? m.key : path + "." + m.key, actions, &rows) }
        case .array(let items):
            if items.isEmpty { rows.append(["<code>\(ReviewSheet.e(path))</code>", "[]"]) }
            for item in items { flatten(item, path + "[]", actions, &rows) }
        default:
            rows.append(["<code>\(ReviewSheet.e(path))</code>", mark(leaf(n), actions[path])])
        }
    }

    private static func leaf(_ n: DocumentJSON.Node) -> String {
        switch n.value {
        case .string(let s): return s
        case .number(let s): return s
        case .bool(let b): return b ? "true" : "false"
        default: return "null"
        }
    }

    /// The value, escaped; marked when the field's action changed it.
    private static func mark(_ value: String, _ action: String?) -> String {
        if value.isEmpty { return "<span class=\"small\">(empty)</span>" }
        guard let action, ["pseudonymize", "mask", "ip_prefix"].contains(action) else { return ReviewSheet.e(value) }
        let label = action == "pseudonymize" ? "pseudonym" : action == "mask" ? "masked" : "IP prefix"
        return "<mark class=\"redacted\">\(ReviewSheet.e(value))</mark><span class=\"tag\">\(label)</span>"
    }

    /// The fields of one CSV line (RFC 4180 quoting), for display only.
    private static func cells(_ line: String) -> [String] {
        var out: [String] = [], cur = "", quoted = false, prevQuote = false
        for ch in line {
            if quoted {
                if ch == "\"" { quoted = false; prevQuote = true } else { cur.append(ch) }
            } else if ch == "\"" {
                if prevQuote { cur.append("\"") }
                quoted = true; prevQuote = false
            } else if ch == "," { out.append(cur); cur = ""; prevQuote = false }
            else if ch != "\r" { cur.append(ch); prevQuote = false }
        }
        out.append(cur)
        return out
    }
}
