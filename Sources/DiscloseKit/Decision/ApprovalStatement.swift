/// The statement a reviewer signs: the trusted comment of an approval's minisign
/// signature, `disclose-approval/1` then tab-separated `name:value` fields (verdict, plan
/// SHA-512, time and, for a rejection, the grounds). One typed value, written by
/// `Approval.sign` and read by `Approval.parse`, so its field names live here only.
public struct ApprovalStatement: Sendable, Equatable {
    /// The statement's fields, by the names written in the comment.
    enum Field: String { case verdict, planSHA512 = "plan-sha512", time, reason }

    /// Marker at the start of every statement.
    public static let prefix = "disclose-approval/1"
    /// The longest reason kept (in characters).
    static let maxReason = 2000

    /// Approve or reject.
    public var verdict: Approval.Verdict
    /// Hex SHA-512 of the plan document signed (128 digits).
    public var planSHA512: String
    /// When the reviewer signed.
    public var time: Instant
    /// Grounds of a rejection, as written (tabs and line ends become spaces).
    public var reason: String?

    /// Builds a statement.
    public init(verdict: Approval.Verdict, planSHA512: String, time: Instant, reason: String?) {
        self.verdict = verdict; self.planSHA512 = planSHA512; self.time = time; self.reason = reason
    }

    /// The trusted comment: the prefix, then the fields in their fixed order.
    public var comment: String {
        var comment = "\(Self.prefix)\t\(Field.verdict.rawValue):\(verdict.rawValue)\t\(Field.planSHA512.rawValue):\(planSHA512)\t\(Field.time.rawValue):\(time)"
        if let reason {
            let clean = String(reason.unicodeScalars.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : Character($0) })
            comment += "\t\(Field.reason.rawValue):\(clean.prefix(Self.maxReason))"
        }
        return comment
    }

    /// Reads a trusted comment (verified first): nil unless it starts with the prefix,
    /// every field is `name:value`, and the verdict, a 128-digit plan digest and the time
    /// are there. Fields it does not know are ignored; a repeated field's last value counts.
    public init?(comment: String) {
        let parts = comment.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard parts.first == Self.prefix else { return nil }
        var fields: [String: String] = [:]
        for p in parts.dropFirst() {
            guard let c = p.firstIndex(of: ":") else { return nil }
            fields[String(p[..<c])] = String(p[p.index(after: c)...])
        }
        func field(_ f: Field) -> String? { fields[f.rawValue] }
        guard let v = field(.verdict).flatMap(Approval.Verdict.init(rawValue:)), let d = field(.planSHA512), d.count == 128,
              let t = field(.time).flatMap(TimeParsing.parseDate) else { return nil }
        self.init(verdict: v, planSHA512: d, time: t, reason: field(.reason))
    }
}
