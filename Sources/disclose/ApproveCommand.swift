import DiscloseKit
import Foundation

/// `disclose approve`: a reviewer signs (or rejects) exactly this plan.
enum ApproveCommand {
    static func run(plan planPath: String, key keyPath: String, reject: Bool, reason: String?, passphraseFile: String?, config configPath: String?) throws -> Int32 {
        let config = try ProviderConfig.load(path: configPath)
        let plan = try FileBytes.read(path: planPath, limit: 64 << 20)
        let summary = try PlanSummary(plan: plan, file: planPath)
        Output.print(summary.text)
        let signing = try KeyFiles.signingKey(path: keyPath) { try Passphrase.obtain(file: passphraseFile, confirm: false) }
        if signing.isDemo { Diagnostics.warning("signing with a DEMO key (\(keyPath)); demo keys are for the examples only, never for real cases") }
        let approval = try Approval.sign(plan: plan, key: signing.key, verdict: reject ? .reject : .approve, reason: reason)
        let path = Approval.path(forPlan: planPath, keyID: signing.key.keyID)
        try AtomicFile.write(Array(approval.signature.fileContents.utf8), to: path, overwrite: false)
        try AuditLog(path: config.auditLogPath).append(event: reject ? "rejected" : "approved", caseID: summary.requestID, facts: [
            ("plan_sha512", .string(approval.planDigest)), ("key_id", .string(signing.key.keyID.description)),
            ("reason", .optional(reason)),
        ])
        Output.print("\n\(reject ? "Rejection" : "Approval") by key \(signing.key.keyID) recorded in \(path)\n")
        return 0
    }
}
