import DiscloseKit
import Foundation

/// `disclose approve`: a reviewer signs (or rejects) exactly this plan.
enum ApproveCommand {
    static func run(plan planPath: String, key keyPath: String, reject: Bool, reason: String?, passphraseFile: String?, config configPath: String?, yes: Bool = false) throws -> Int32 {
        // The audit log lives with the provider configuration; a reviewer signing elsewhere
        // (no disclose.json at hand) still produces a valid approval.
        let config: ProviderConfig? = configPath != nil || FileManager.default.fileExists(atPath: ProviderConfig.defaultFileName)
            ? try ProviderConfig.load(path: configPath) : nil
        let plan = try FileBytes.read(path: planPath, limit: 64 << 20)
        let summary = try PlanSummary(plan: plan, file: planPath)
        // Show what is signed, from the plan's own bytes, and let a person confirm it.
        let view = try PlanView(plan: plan, file: planPath, context: try config.map { try PlanContext.load(config: $0, planPath: nil) })
        Output.print(PlanReport.signing(view, verdict: reject ? "reject" : "approve", style: .detect(fd: 1)))
        if !yes, Confirmation.interactive, !Confirmation.ask("Sign this \(reject ? "rejection" : "approval") with \(keyPath)?") {
            throw Refusal("not signed: the reviewer did not confirm", hint: "run again and answer yes, or pass --yes in scripts")
        }
        let signing = try KeyFiles.signingKey(path: keyPath) { try Passphrase.obtain(file: passphraseFile, confirm: false) }
        if signing.isDemo { Diagnostics.warning("signing with a DEMO key (\(keyPath)); demo keys are for the examples only, never for real cases") }
        let approval = try Approval.sign(plan: plan, key: signing.key, verdict: reject ? .reject : .approve, reason: reason)
        let path = Approval.path(forPlan: planPath, keyID: signing.key.keyID)
        try AtomicFile.write(Array(approval.signature.fileContents.utf8), to: path, overwrite: false)
        if let config {
            try AuditLog(path: config.auditLogPath).append(event: reject ? "rejected" : "approved", caseID: summary.requestID, facts: [
            ("plan_sha512", .string(approval.planDigest)), ("key_id", .string(signing.key.keyID.description)),
                ("reason", .optional(reason)),
            ] + (reject ? [("refusal_reason", .string(HI1ReasonMap.reason(HI1ReasonMap.reviewerRejection,
                                                                           policy: try? Policy.load(path: config.policyPath)).rawValue))] : []))
        } else {
            Diagnostics.note("no disclose.json here: the decision is in the signature file but not in an audit log (pass --config to record it)")
        }
        Output.print("\n\(reject ? "Rejection" : "Approval") by key \(signing.key.keyID) recorded in \(path)\n")
        return 0
    }
}
