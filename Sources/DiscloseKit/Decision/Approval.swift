import Foundation
import Minisign
import Sodium

/// A reviewer's decision on a plan: a minisign signature over the plan document whose
/// trusted comment carries the verdict, the plan digest and the time (and the grounds of
/// a rejection). Stock `minisign -V` can check it; the role of the reviewer comes from
/// the policy's approver list, never from the signature.
public struct Approval: Sendable {
    /// Approve or reject.
    public enum Verdict: String, Sendable {
        /// The reviewer approves exactly this plan.
        case approve
        /// The reviewer rejects it; one valid rejection blocks export.
        case reject
    }

    /// The decision.
    public var verdict: Verdict
    /// Hex SHA-512 of the plan document signed.
    public var planDigest: String
    /// When the reviewer signed.
    public var time: Instant
    /// Grounds of a rejection.
    public var reason: String?
    /// The signature itself.
    public var signature: Signature

    /// Marker at the start of every approval's trusted comment.
    public static let commentPrefix = ApprovalStatement.prefix

    /// Signs `plan` with `key`.
    public static func sign(plan: [UInt8], key: SecretKey, verdict: Verdict, reason: String?, time: Instant = .now) throws -> Approval {
        let digest = PlanDigest.hex(plan)
        let comment = ApprovalStatement(verdict: verdict, planSHA512: digest, time: time, reason: reason).comment
        let sig = try key.sign(plan, trustedComment: comment,
                               untrustedComment: "disclose \(verdict.rawValue) of plan \(digest.prefix(16)) by key \(key.keyID)")
        return Approval(verdict: verdict, planDigest: digest, time: time, reason: reason, signature: sig)
    }

    /// Reads the decision out of a trusted comment (call only after verifying it).
    public static func parse(trustedComment: String, signature: Signature) -> Approval? {
        guard let s = ApprovalStatement(comment: trustedComment) else { return nil }
        return Approval(verdict: s.verdict, planDigest: s.planSHA512, time: s.time, reason: s.reason, signature: signature)
    }

    /// A trusted comment made safe to print: control characters (which could drive a
    /// terminal) shown as `?`, at most 300 characters.
    public static func printable(_ comment: String) -> String {
        let clean = String(String.UnicodeScalarView(comment.unicodeScalars.map { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format ? "?" : $0 }))
        return clean.count > 300 ? String(clean.prefix(300)) + "…" : clean
    }

    /// Where approvals of `planPath` are kept: `PLAN.<KEYID>.minisig` beside it.
    public static func path(forPlan planPath: String, keyID: KeyID) -> String { "\(planPath).\(keyID).minisig" }

    /// The approval files next to plan `planName` in `directory`, each read once without
    /// following links (name as a path for messages → contents), sorted by name.
    public static func read(forPlan planName: String, in directory: DirectoryHandle) throws -> [(name: String, text: String)] {
        try directory.entries().filter { $0.name.hasPrefix(planName + ".") && $0.name.hasSuffix(".minisig") }.map { entry in
            (name: directory.describe(entry.name), text: String(decoding: try directory.read(entry.name, limit: 16_384), as: UTF8.self))
        }
    }

    /// The approval files next to a plan, sorted.
    public static func files(forPlan planPath: String) -> [String] {
        let (dir, base) = PathName.split(planPath)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasPrefix(base + ".") && $0.hasSuffix(".minisig") }.sorted()
            .map { PathName.sibling(of: planPath, named: $0) }
    }
}

/// An approval that verified against a trusted reviewer key.
public struct CheckedApproval: Sendable {
    /// The decision.
    public var approval: Approval
    /// The trusted reviewer.
    public var approver: Policy.Approver
    /// The reviewer's public key.
    public var publicKey: PublicKey
    /// The `.minisig` file contents as found.
    public var signatureText: String
}

/// Whether a set of approvals satisfies the policy for one exact plan.
public struct ApprovalCheck: Sendable {
    /// Approvals that verified against trusted keys and name this plan.
    public var valid: [CheckedApproval]
    /// Everything that did not count, each with the reason (file: why).
    public var problems: [String]
    /// Unmet requirements (count, roles) or a blocking rejection.
    public var unmet: [String]

    /// True when export may proceed.
    public var satisfied: Bool { unmet.isEmpty }

    /// Checks the `.minisig` texts (name → contents) against `plan` and the policy, and
    /// the decisions the audit log recorded on this plan (`recorded`, from
    /// `AuditLog.decisions(onPlan:)`): a rejection there by a trusted key blocks export
    /// even when its file is not presented. The rule itself is `Policy.ApprovalRule.unmet(by:)`.
    public static func check(plan: [UInt8], signatures: [(name: String, text: String)], policy: Policy,
                             rule: Policy.ApprovalRule, recorded: [LoggedDecision] = []) -> ApprovalCheck {
        let digest = PlanDigest.hex(plan)
        let prehash = MessageDigest.hash(plan)
        var valid: [CheckedApproval] = []
        var problems: [String] = []
        let trusted = trustedKeys(policy)
        for (name, text) in signatures {
            guard let sig = try? Signature(fileContents: text) else { problems.append("\(name): not a minisign signature"); continue }
            guard let (approver, key) = trusted.first(where: { $0.1.keyID == sig.keyID }) else {
                problems.append("\(name): key \(sig.keyID) is not a trusted approver in the policy"); continue
            }
            let comment: String
            do { comment = try key.verify(sig, prehash: prehash) } catch {
                problems.append("\(name): signature does not verify for this plan (\(error))"); continue
            }
            guard let approval = Approval.parse(trustedComment: comment, signature: sig) else {
                problems.append("\(name): unrecognised statement by trusted key \(key.keyID) (\(approver.name), \(approver.role)): \(Approval.printable(comment)) — not a Disclose approval; not counted"); continue
            }
            guard approval.planDigest == digest else {
                problems.append("\(name): trusted comment is not a disclose approval of this plan"); continue
            }
            if valid.contains(where: { $0.publicKey.keyID == key.keyID }) {
                problems.append("\(name): a second decision by key \(key.keyID); only one per reviewer counts"); continue
            }
            valid.append(CheckedApproval(approval: approval, approver: approver, publicKey: key, signatureText: text))
        }
        var decisions = valid.map {
            ReviewerDecision(keyID: $0.publicKey.keyIDString, name: $0.approver.name, role: $0.approver.role,
                             verdict: $0.approval.verdict, time: $0.approval.time, reason: $0.approval.reason)
        }
        // The log's rejections bind; a logged approval never stands in for a missing signature.
        for r in recorded where r.verdict == .reject {
            guard let (approver, _) = trusted.first(where: { $0.1.keyIDString == r.keyID }) else { continue }
            if decisions.contains(where: { $0.keyID == r.keyID && $0.verdict == .reject }) { continue }
            decisions.insert(ReviewerDecision(keyID: r.keyID, name: approver.name, role: approver.role, verdict: .reject,
                                              time: r.time, reason: r.reason, auditEntry: r.sequence), at: 0)
        }
        return ApprovalCheck(valid: valid, problems: problems, unmet: rule.unmet(by: decisions))
    }

    /// The policy's approvers with their parsed public keys (unparseable keys are left out;
    /// the policy loader already refuses them).
    public static func trustedKeys(_ policy: Policy) -> [(Policy.Approver, PublicKey)] {
        policy.approvers.compactMap { a in (try? PublicKey(base64: a.publicKey)).map { (a, $0) } }
    }
}
