import Primitives

/// The next step for a case, from its history, review and notice state: a typed value the
/// front end renders (the CLI as a command line), so the library spells no command.
public enum CaseNextStep {
    /// What moves a case on.
    public enum Advice: Sendable, Equatable {
        /// No command: the case is closed, or it waits for a date (the text says which).
        case nothing(String)
        /// One step, with a note on when or why.
        case step(NextStep, note: String?)
        /// One step (with a note), or else another.
        case either(NextStep, note: String?, or: NextStep)
    }

    /// The step that moves `h` on.
    public static func advice(_ h: CaseHistory, progress: ApprovalProgress?, notice: NoticeStatus?) -> Advice {
        if h.closed != nil { return .nothing("nothing (closed)") }
        if h.preservation {
            return h.preserved == nil ? .step(.preserve(), note: nil) : .step(.close(caseID: h.id), note: "after the preservation ends")
        }
        switch h.state {
        case .received: return .step(.plan(), note: nil)
        case .refused: return .step(.close(caseID: h.id), note: "the authority was told of the refusal")
        case .planned, .approved, .rejected:
            guard let p = progress else { return .step(.plan(), note: nil) }
            if !p.rejections.isEmpty { return .either(.plan(out: "NEW-PLAN"), note: "a reviewer rejected this one", or: .close(caseID: h.id)) }
            if !p.satisfied { return .step(.approve(), note: p.missingText ?? "") }
            return .step(.export(), note: nil)
        case .disclosed, .noData:
            if let n = notice, n.state == .due { return .step(.notified(caseID: h.id), note: "after telling the user") }
            if h.emergency && h.followUpReceived == nil { return .step(.followUp(caseID: h.id), note: nil) }
            if let n = notice, n.pending {
                return .nothing("wait: user notice \(n.state == .prohibited ? "prohibited" : "deferred") until \(n.until?.description ?? "?")")
            }
            return .step(.close(caseID: h.id), note: nil)
        default: return .step(.close(caseID: h.id), note: nil)
        }
    }
}
