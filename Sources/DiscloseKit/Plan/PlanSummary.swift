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
        let m = try PlanModel.read(plan, file: file)
        let request = m.request, instrument = request.instrument
        requestID = request.id
        verdict = m.verdict
        var out = "Plan \(PlanDigest.hex(plan).prefix(16))… for request \(requestID)\n"
        out += "  authority \(request.authority), instrument \(instrument.type) \(instrument.reference) (\(instrument.legalBasis))\n"
        out += "  verdict: \(m.verdict)\n"
        for c in m.categories where c.requested {
            out += "  \(c.granted ? "grant " : "REFUSE") \(c.category): \(c.reason)\n"
        }
        for d in m.datasets {
            var line = "  \(d.name): \(d.records.disclosed) records disclosed"
            let shown = d.fields.filter { $0.action != "withhold" }.map { "\($0.path)=\($0.action)" }
            line += shown.isEmpty ? "" : " (" + shown.joined(separator: ", ") + ")"
            out += line + "\n"
        }
        self.text = out
    }
}
