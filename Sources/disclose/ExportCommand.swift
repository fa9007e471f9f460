import DiscloseKit
import Foundation

/// `disclose export`: the sealed bundle, after approval.
enum ExportCommand {
    static func run(plan: String, out: String, config configPath: String?, tar: Bool, passphraseFile: String?,
                    practice: Bool = false, againReason: String? = nil) throws -> Int32 {
        let config = try ProviderConfig.load(path: configPath)
        guard let keyPath = config.signingKeyPath else {
            throw InputError(file: config.file, field: "signing_key", message: "no provider signing key configured", hint: "add \"signing_key\": \"path/to/provider.key\"")
        }
        let signing = try KeyFiles.signingKey(path: keyPath) { try Passphrase.obtain(file: passphraseFile, confirm: false) }
        if signing.isDemo { Diagnostics.warning("the bundle is signed with a DEMO key (\(keyPath)); never use demo keys for real cases") }
        let started = Instant.now
        let progress = ProgressLine.start()
        defer { progress?.stop() }
        let result = try Exporter.export(config: config, planPath: plan, out: out, signingKey: signing.key, tar: tar,
                                         practice: practice, againReason: againReason)
        progress?.stop()
        for problem in result.approvalProblems { Diagnostics.warning("not counted as an approval: \(problem)") }
        let seconds = Double(Instant.now.nanoseconds - started.nanoseconds) / 1e9
        let records = result.outcome.datasets.reduce(0) { $0 + $1.statistics.recordsDisclosed }
        if practice { Output.print("PRACTICE bundle (marked in disclosure.json and bag-info.txt; nothing recorded in the audit log)\n") }
        Output.print("Bundle \(result.bundleID) written to \(result.bundlePath) (\(result.outcome.verdict.rawValue), \(records) records, \(String(format: "%.2f", seconds)) s)\n")
        if let t = result.tarPath { Output.print("Tar archive: \(t)\n") }
        Output.print("Approved by: \(result.approvals.map { "\($0.approver.role) (\($0.publicKey.keyIDString))" }.joined(separator: ", "))\n")
        Output.print("The authority checks it with: disclose verify \(result.bundlePath) --signer PROVIDER.pub, or the stock tools in VERIFY.txt\n")
        return 0
    }
}
