import Primitives
/// Voiding a case (`disclose case void ID --reason TEXT`): a case opened by mistake — a
/// rehearsal on a real request, a duplicate — is marked `voided` in the audit log. The
/// chain keeps every entry; `status` and the transparency report leave the case out and
/// say how many were voided. A case answered with a bundle (records or "no data") or that
/// preserved records cannot be voided: that would hide a real answer from the published report.
public enum CaseVoid {
    /// Records a `voided` entry for `caseID` with the reason. Refuses an unknown case, one
    /// already voided, one answered with a bundle, and one that preserved records.
    public static func void(log: AuditLog, caseID: String, reason: String, now: Instant = .now) throws {
        guard let h = try CaseLedger.load(log).first(where: { $0.id == caseID }) else {
            throw Refusal("no case \(caseID) in the audit log", hint: "list the cases with:", next: .status(all: true))
        }
        if let v = h.voided { throw Refusal("case \(caseID) was already voided (\(v.time): \(v.reason))") }
        if h.disclosed != nil || h.answeredByBundle != nil {
            throw Refusal("case \(caseID) was answered with a bundle (\(h.answeredByBundle ?? "?")); an answer is never voided (it stays in the transparency report)",
                          hint: "close it instead:", next: .close(caseID: caseID))
        }
        if h.preserved != nil {
            throw Refusal("case \(caseID) preserved records; a preservation is never voided",
                          hint: "close it instead:", next: .close(caseID: caseID))
        }
        try log.record(.voided, caseID: caseID, time: now, facts: [
            (.state, .string(h.state.rawValue)), (.reason, .string(reason)),
        ])
    }
}
