import DiscloseKit
import Foundation

/// `disclose approve`: a reviewer signs (or rejects) exactly this plan.
enum ApproveCommand {
    static func run(plan planPath: String, key keyPath: String, reject: Bool, reason: String?, replace: Bool,
                    passphraseFile: String?, config configPath: String?, yes: Bool = false, practice: Bool = false) throws -> Int32 {
        // The audit log lives with the provider configuration; a reviewer signing elsewhere
        // (no disclose.json at hand) still produces a valid approval.
        let config: ProviderConfig? = configPath != nil || FileManager.default.fileExists(atPath: ProviderConfig.defaultFileName)
            ? try ProviderConfig.load(path: configPath) : nil
        let policy = try config.map { (policy: try Policy.load(path: $0.policyPath), file: $0.policyPath) }
        let log = config.map { AuditLog(path: $0.auditLogPath) }
        let plan = try FileBytes.read(path: planPath, limit: 64 << 20)
        let summary = try PlanSummary(plan: plan, file: planPath)
        try Practice.requireMode(plan: plan, file: planPath, practice: practice, command: "approve")
        if practice { Output.print("PRACTICE PLAN — this approval rehearses a review; it is not recorded in the audit log\n") }
        // Show what is signed, from the plan's own bytes, and let a person confirm it.
        let view = try PlanView(plan: plan, file: planPath, context: try config.map { try PlanContext.load(config: $0, planPath: nil) })
        Output.print(PlanReport.signing(view, verdict: reject ? "reject" : "approve", style: .detect(fd: 1)))
        if !yes, Confirmation.interactive, !Confirmation.ask("Sign this \(reject ? "rejection" : "approval") with \(keyPath)?") {
            throw Refusal("not signed: the reviewer did not confirm", hint: "run again and answer yes, or pass --yes in scripts")
        }
        let signing = try KeyFiles.signingKey(path: keyPath) { try Passphrase.obtain(file: passphraseFile, confirm: false) }
        if signing.isDemo { Diagnostics.warning("signing with a DEMO key (\(keyPath)); demo keys are for the examples only, never for real cases") }
        let verdict: Approval.Verdict = reject ? .reject : .approve
        // A practice decision is checked like a real one but never enters the audit log.
        let recordingLog = practice ? nil : log
        let earlier = try DecisionRecording.admit(plan: plan, planPath: planPath, planVerdict: summary.verdict, verdict: verdict,
                                                  key: signing.key.publicKey, policy: policy, log: recordingLog, replace: replace)
        let approval = try Approval.sign(plan: plan, key: signing.key, verdict: verdict, reason: reason)
        let path = try DecisionRecording.record(approval, key: signing.key.publicKey, planPath: planPath, caseID: summary.requestID,
                                                earlier: earlier, log: recordingLog, policy: policy?.policy)
        if practice {
            Diagnostics.note("PRACTICE run: nothing is recorded in the audit log")
        } else if config == nil {
            Diagnostics.note("no disclose.json here: the key was not checked against a policy, and the decision is in the signature file but not in an audit log (pass --config to check and record it)")
        }
        if let earlier { Output.print("\nThe earlier decision (\(earlier.verdict)) is replaced; the audit log records the replacement.") }
        Output.print("\n\(reject ? "Rejection" : "Approval") by key \(signing.key.keyID) recorded in \(path)\n")
        return 0
    }
}
