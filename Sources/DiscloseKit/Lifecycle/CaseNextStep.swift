/// The next command for a case, from its history, review and notice state.
public enum CaseNextStep {
    /// The command line (with placeholders in capitals) that moves `h` on.
    public static func command(_ h: CaseHistory, progress: ApprovalProgress?, notice: NoticeStatus?) -> String {
        if h.closed != nil { return "nothing (closed)" }
        if h.preservation {
            return h.preserved == nil ? "disclose preserve REQUEST --out DIR" : "disclose case close \(h.id) --reason TEXT (after the preservation ends)"
        }
        switch h.state {
        case .received: return "disclose plan REQUEST --out PLAN"
        case .refused: return "disclose case close \(h.id) --reason TEXT (the authority was told of the refusal)"
        case .planned, .approved, .rejected:
            guard let p = progress else { return "disclose plan REQUEST --out PLAN" }
            if !p.rejections.isEmpty { return "disclose plan REQUEST --out NEW-PLAN (a reviewer rejected this one), or disclose case close \(h.id) --reason TEXT" }
            if !p.satisfied { return "disclose approve PLAN --key KEY (\(p.missingText ?? ""))" }
            return "disclose export PLAN --out DIR"
        case .disclosed, .noData:
            if let n = notice, n.state == .due { return "disclose case notified \(h.id) (after telling the user)" }
            if h.emergency && h.followUpReceived == nil { return "disclose case follow-up \(h.id) --reference TEXT" }
            if let n = notice, n.pending { return "wait: user notice \(n.state == .prohibited ? "prohibited" : "deferred") until \(n.until?.description ?? "?")" }
            return "disclose case close \(h.id) --reason TEXT"
        default: return "disclose case close \(h.id) --reason TEXT"
        }
    }
}
