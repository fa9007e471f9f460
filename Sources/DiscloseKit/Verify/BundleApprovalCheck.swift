import Age
import Foundation
import Minisign
import Sodium

/// The verifier's approvals step: each approval in disclosure.json checked against the
/// approver key it carries and the plan digest, then the one approval rule export applies.
extension BundleVerifier {
    static func checkApprovals(_ d: DisclosureDocument, _ r: inout VerificationReport) {
        let planSHA = d.plan.sha512
        guard let blake = Hex.decode(d.plan.blake2b512), blake.count == 64 else {
            r.add("approvals", false, "disclosure.json has no plan digest"); return
        }
        let required = d.approvalsRequired.count
        let rule = Policy.ApprovalRule(count: required, roles: d.approvalsRequired.roles)
        var decisions: [ReviewerDecision] = []
        var keys = Set<String>()
        for (i, a) in d.approvals.enumerated() {
            let label = "approval \(i + 1) (\(a.role), key \(a.keyID))"
            guard let key = try? PublicKey(base64: a.publicKey), let sig = try? Signature(fileContents: a.signature) else {
                r.add(label, false, "unreadable key or signature"); continue
            }
            do {
                let comment = try key.verify(sig, prehash: blake)
                guard let approval = Approval.parse(trustedComment: comment, signature: sig) else {
                    r.add(label, false, "unrecognised statement by trusted key \(key.keyID): \(Approval.printable(comment)) (not a Disclose approval; not counted)"); continue
                }
                guard approval.planDigest == planSHA else {
                    r.add(label, false, "signature is valid but does not approve this plan"); continue
                }
                let role = a.role
                decisions.append(ReviewerDecision(keyID: key.keyIDString, name: "approval \(i + 1)", role: role, verdict: approval.verdict,
                                                  time: approval.time, reason: approval.reason))
                guard approval.verdict == .approve else { r.add(label, false, "this reviewer REJECTED the plan"); continue }
                guard keys.insert(key.base64).inserted else { r.add(label, false, "same key counted twice"); continue }
                r.add(label, true, "valid signature over plan \(planSHA.prefix(16))… by key \(key.keyID), \(approval.time)")
            } catch {
                r.add(label, false, "signature does not verify: \(error)")
            }
        }
        if required <= 0 {
            r.warnings.append("approvals: disclosure.json says no approval was required (approvals_required.count is 0): nobody had to review this disclosure before it left")
        }
        // The same rule export applies (one function): a rejection blocks, count and roles.
        let unmet = rule.unmet(by: decisions)
        let approved = Set(decisions.filter { $0.verdict == .approve }.map(\.keyID)).count
        r.add("approvals", unmet.isEmpty, unmet.isEmpty ? "\(approved) valid approval(s) of the plan; required \(rule.count) (\(rule.roles.joined(separator: ", ")))"
                                                      : unmet.joined(separator: "; "))
    }

}
