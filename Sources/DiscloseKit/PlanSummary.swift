/// A short summary of a plan document for the reviewer about to sign it.
public struct PlanSummary: Sendable {
    /// The request id.
    public var requestID: String
    /// The summary text.
    public var text: String

    /// Reads the essentials out of `plan`.
    public init(plan: [UInt8], file: String) throws {
        _ = try PlanFile.requestReference(plan, file: file)
        let root = try DocumentJSON.parse(plan, file: file)
        func member(_ n: DocumentJSON.Node, _ k: String) -> DocumentJSON.Node? {
            if case .object(let m) = n.value { return m.first { $0.key == k }?.value }; return nil
        }
        func string(_ n: DocumentJSON.Node?) -> String {
            guard let n else { return "?" }
            switch n.value { case .string(let s): return s; case .number(let s): return s; case .bool(let b): return b ? "yes" : "no"; default: return "?" }
        }
        let request = member(root, "request")
        requestID = string(request.flatMap { member($0, "id") })
        let instrument = request.flatMap { member($0, "instrument") }
        var out = "Plan \(PlanDigest.hex(plan).prefix(16))… for request \(requestID)\n"
        out += "  authority \(string(request.flatMap { member($0, "authority") })), instrument \(string(instrument.flatMap { member($0, "type") })) \(string(instrument.flatMap { member($0, "reference") })) (\(string(instrument.flatMap { member($0, "legal_basis") })))\n"
        out += "  verdict: \(string(member(root, "verdict")))\n"
        if case .array(let cats)? = member(root, "categories")?.value {
            for c in cats where string(member(c, "requested")) == "yes" {
                out += "  \(string(member(c, "granted")) == "yes" ? "grant " : "REFUSE") \(string(member(c, "category"))): \(string(member(c, "reason")))\n"
            }
        }
        if case .array(let ds)? = member(root, "datasets")?.value {
            for d in ds {
                let records = member(d, "records")
                var line = "  \(string(member(d, "name"))): \(string(records.flatMap { member($0, "disclosed") })) records disclosed"
                if case .array(let fields)? = member(d, "fields")?.value {
                    let shown = fields.filter { string(member($0, "action")) != "withhold" }.map { "\(string(member($0, "path")))=\(string(member($0, "action")))" }
                    line += shown.isEmpty ? "" : " (" + shown.joined(separator: ", ") + ")"
                }
                out += line + "\n"
            }
        }
        text = out
    }
}
