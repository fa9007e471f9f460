import DiscloseKit
import Foundation

/// `disclose verify`: the authority's check (the checks live in DiscloseKit).
enum VerifyCommand {
    static func run(bundle: String, signer: String, identities: [String], extract: String?, json: Bool) throws -> Int32 {
        let key = try KeyFiles.publicKey(signer)
        let ids = try KeyFiles.identities(paths: identities)
        if let extract {
            var st = stat()
            if lstat(extract, &st) == 0 { throw InputError(file: extract, message: "already exists; extraction never overwrites", hint: "choose a new --extract directory") }
        }
        let progress = ProgressLine.start()
        let report = BundleVerifier.verify(bundle: bundle, signer: key, identities: ids, extractTo: extract)
        progress?.stop()
        if !report.ok, let extract { try? FileManager.default.removeItem(atPath: extract) }
        Output.print(json ? report.json.pretty : TerminalStyle.detect(fd: 1).checks(report.text))
        if report.ok, !report.extracted.isEmpty, !json { Output.print("Extracted (authenticated plaintext): \(report.extracted.joined(separator: ", "))\n") }
        // A provider running verify on its own bundle records it; an authority has no config.
        if FileManager.default.fileExists(atPath: ProviderConfig.defaultFileName),
           let config = try? ProviderConfig.load(path: nil), let request = report.requestID {
            _ = try? AuditLog(path: config.auditLogPath).append(event: "verified", caseID: request, facts: [
                ("bundle_id", .optional(report.bundleID)), ("ok", .bool(report.ok))])
        }
        return report.ok ? 0 : 1
    }
}
