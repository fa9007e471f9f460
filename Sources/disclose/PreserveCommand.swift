import DiscloseKit

/// `disclose preserve`: seal a preservation request's scoped records to the provider's escrow.
enum PreserveCommand {
    static func run(request: String, out: String, config configPath: String?, practice: Bool = false) throws -> Int32 {
        let config = try ProviderConfig.load(path: configPath)
        let progress = ProgressLine.start()
        defer { progress?.stop() }
        let r = try Preservation.seal(config: config, requestPath: request, out: out, practice: practice)
        progress?.stop()
        if practice { Output.print("PRACTICE preservation (marked in preservation.json; nothing recorded in the audit log)\n") }
        let records = r.files.reduce(0) { $0 + $1.records }
        Output.print("Preserved \(r.requestID): \(records) records in \(r.files.count) sealed files at \(r.path), encrypted to the provider's escrow only\n")
        for f in r.files { Output.print("  \(f.file)  \(f.records) records  sha512 \(f.sha512.prefix(16))…\n") }
        Output.print("Preserved until \(r.until)\(practice ? "" : " (audit entry \(r.auditHead.sequence))"); nothing was disclosed.\n")
        return 0
    }
}
