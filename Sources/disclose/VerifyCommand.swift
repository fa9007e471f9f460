import DiscloseKit

/// `disclose verify`: the authority's check (the checks live in DiscloseKit).
enum VerifyCommand {
    static func run(bundle: String, signer: String, identities: [String], extract: String?, json: Bool) throws -> Int32 {
        let key = try KeyFiles.publicKey(signer)
        let ids = try KeyFiles.identities(paths: identities)
        // A missing bundle or an existing --extract path is a usage error (exit 2), thrown here;
        // extraction places files only when every check held, and removes them otherwise.
        let progress = ProgressLine.start()
        defer { progress?.stop() }
        let report = try BundleVerifier.verify(bundle: bundle, signer: key, identities: ids, extractTo: extract)
        progress?.stop()
        Output.print(json ? report.json.pretty : TerminalStyle.detect(fd: 1).checks(report.text))
        if report.ok, !report.extracted.isEmpty, !json { Output.print("Extracted (authenticated plaintext): \(report.extracted.joined(separator: ", "))\n") }
        // A provider running verify on its own bundle records it (the library decides when).
        CaseRecording.verified(report)
        if report.onlyIdentityFailed {
            Diagnostics.error("none of the given identities (\(ids.map { "\($0.recipient)" }.joined(separator: ", "))) is among the \(report.recipients.count) recipient(s) of bundle \(bundle); nothing was decrypted")
            Diagnostics.hint("the bundle's signature, manifests and approvals hold; give the age identity of one of the recipients listed in disclosure.json, or run verify without --identity to check the bundle alone")
            return 2
        }
        return report.ok ? 0 : 1
    }
}
