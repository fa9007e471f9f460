/// A short summary of a plan document for the reviewer about to sign it.
public struct PlanSummary: Sendable {
    /// The request id.
    public var requestID: String
    /// The summary text.
    public var text: String
    /// The plan's verdict (`disclose`, `no_data` or `refused`).
    public var verdict: String

    /// Reads the essentials out of `plan`.
    public init(plan: [UInt8], file: String) throws {
        _ = try PlanFile.requestReference(plan, file: file)
        let root = try DocumentJSON.parse(plan, file: file, limit: 64 << 20)
        func text(_ n: DocumentJSON.Node?) -> String {
            guard let n else { return "?" }
            switch n.value { case .string(let s), .number(let s): return s; case .bool(let b): return b ? "yes" : "no"; default: return "?" }
        }
        let request = root["request"]
        let instrument = request?["instrument"]
        requestID = text(request?["id"])
        verdict = text(root["verdict"])
        var out = "Plan \(PlanDigest.hex(plan).prefix(16))… for request \(requestID)\n"
        out += "  authority \(text(request?["authority"])), instrument \(text(instrument?["type"])) \(text(instrument?["reference"])) (\(text(instrument?["legal_basis"])))\n"
        out += "  verdict: \(text(root["verdict"]))\n"
        for c in root["categories"]?.elements ?? [] where c["requested"]?.bool == true {
            out += "  \(c["granted"]?.bool == true ? "grant " : "REFUSE") \(text(c["category"])): \(text(c["reason"]))\n"
        }
        for d in root["datasets"]?.elements ?? [] {
            var line = "  \(text(d["name"])): \(text(d["records"]?["disclosed"])) records disclosed"
            let shown = (d["fields"]?.elements ?? []).filter { $0["action"]?.string != "withhold" }.map { "\(text($0["path"]))=\(text($0["action"]))" }
            line += shown.isEmpty ? "" : " (" + shown.joined(separator: ", ") + ")"
            out += line + "\n"
        }
        self.text = out
    }
}
