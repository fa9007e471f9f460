import Foundation
import Minisign

/// What `approve` refuses before a reviewer's decision is recorded, and how it is
/// recorded: a key the policy does not trust signs nothing that could pass for an
/// approval; a refused plan cannot be approved; and a reviewer changes an earlier decision
/// on the same plan only explicitly (`--replace`), which the audit log records as a
/// `decision_replaced` entry before the new decision.
public enum DecisionRecording {
    /// An earlier decision by the same key on the same plan.
    public struct Earlier: Sendable, Equatable {
        /// `approve`, `reject`, or `unreadable` (a signature file that no longer verifies).
        public var verdict: String
        /// Where it was found: the signature file, or the audit log entry.
        public var location: String
    }

    /// Checks that `key` may record `verdict` on `plan`. `policy` (with its file) is the
    /// provider's when the configuration is at hand; `log` is its audit log. Returns the
    /// earlier decision that `replace` replaces, if any. Throws `Refusal` (exit 1) for an
    /// untrusted key, an approval of a refused plan, or a second decision without
    /// `replace`; `InputError` (exit 2) for `replace` without an audit log to record it.
    public static func admit(plan: [UInt8], planPath: String, planVerdict: String, verdict: Approval.Verdict, key: PublicKey,
                             policy: (policy: Policy, file: String)?, log: AuditLog?, replace: Bool) throws -> Earlier? {
        if verdict == .approve, planVerdict == CaseOutcome.Verdict.refused.rawValue {
            throw Refusal("the plan's verdict is 'refused': the policy checks failed, so there is nothing to approve",
                          hint: "a refused request is answered as refused; to block it explicitly use --reject --reason TEXT")
        }
        if let policy, !ApprovalCheck.trustedKeys(policy.policy).contains(where: { $0.1.keyID == key.keyID }) {
            throw Refusal("key \(key.keyIDString) is not among the approvers of the policy \(policy.file); its decision would not count",
                          hint: "sign with your reviewer key, or ask the policy owner to add this public key to \"approvers\" in \(policy.file)")
        }
        let digest = PlanDigest.hex(plan)
        var earlier: Earlier?
        let file = Approval.path(forPlan: planPath, keyID: key.keyID)
        var st = stat()
        if lstat(file, &st) == 0 {
            var found = "unreadable"
            if let bytes = try? FileBytes.read(path: file, limit: 16_384), let sig = try? Signature(fileContents: String(decoding: bytes, as: UTF8.self)),
               let comment = try? key.verify(sig, prehash: MessageDigest.hash(plan)),
               let a = Approval.parse(trustedComment: comment, signature: sig), a.planDigest == digest {
                found = a.verdict.rawValue
            }
            earlier = Earlier(verdict: found, location: file)
        } else if let log, let d = try log.decisions(onPlan: digest).first(where: { $0.keyID == key.keyIDString }) {
            earlier = Earlier(verdict: d.verdict.rawValue, location: "\(log.path), entry \(d.sequence) (\(d.time))")
        }
        if let earlier, !replace {
            throw Refusal("key \(key.keyIDString) already decided on this plan: \(earlier.verdict) (\(earlier.location))",
                          hint: "to change that decision, run again with --replace; the audit log records the replacement")
        }
        if replace, log == nil {
            throw InputError(file: planPath, message: "--replace needs the audit log to record the replacement, and no configuration is at hand",
                             hint: "run where disclose.json is, or pass --config FILE")
        }
        return earlier
    }

    /// Writes the signature file beside the plan (replacing the earlier one only when
    /// `earlier` is set) and records the decision in `log`, preceded by a
    /// `decision_replaced` entry when it replaces one; a rejection's entry carries its HI-1
    /// refusal family (`refusal_reason`, from `policy`'s map or the default). Returns the
    /// signature file's path.
    @discardableResult
    public static func record(_ approval: Approval, key: PublicKey, planPath: String, caseID: String,
                              earlier: Earlier?, log: AuditLog?, policy: Policy?) throws -> String {
        let facts: [(AuditFact, JSONOutput)] = approval.verdict == .reject
            ? [(.refusalReason, .string(HI1ReasonMap.reason(HI1ReasonMap.reviewerRejection, policy: policy).rawValue))] : []
        let path = Approval.path(forPlan: planPath, keyID: key.keyID)
        try AtomicFile.write(Array(approval.signature.fileContents.utf8), to: path, overwrite: earlier != nil)
        guard let log else { return path }
        let common: [(AuditFact, JSONOutput)] = [(.planSHA512, .string(approval.planDigest)), (.keyID, .string(key.keyIDString))]
        if let earlier {
            try log.append(event: LoggedDecision.replacedEvent, caseID: caseID, facts: AuditFact.members(common + [
                (.previous, .string(earlier.verdict)), (.verdict, .string(approval.verdict.rawValue)),
            ]))
        }
        try log.record(approval.verdict == .reject ? .rejected : .approved, caseID: caseID,
                       facts: common + [(.reason, .optional(approval.reason))] + facts)
        return path
    }
}
