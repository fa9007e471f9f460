import DiscloseKit

/// `disclose audit verify`: the hash chain, the provider's signed heads, and the heads
/// bundles recorded; `disclose audit checkpoint`: signs the current head.
enum AuditCommand {
    static func verify(bundles: [String], config configPath: String?, log logPath: String?, signer signerPath: String?, json: Bool) throws -> Int32 {
        let config = logPath == nil ? try ProviderConfig.load(path: configPath) : nil
        let path = logPath ?? config!.auditLogPath
        let keyPath = signerPath ?? config?.signingPublicKeyPath
        let signer = try keyPath.map(KeyFiles.publicKey)
        let c = try AuditCheck.run(log: AuditLog(path: path), signer: signer, bundles: bundles)
        if json {
            Output.print(JSONOutput.object([("log", .string(path)), ("ok", .bool(c.ok)), ("entries", .int(c.entries)),
                                            ("head", .object([("sequence", .int(c.head.sequence)), ("sha512", .string(c.head.hash))])),
                                            ("signed_heads", .int(c.signedHeads)), ("last_signed", .int(c.lastSigned)),
                                            ("unsigned_tail", .int(c.unsignedTail)),
                                            ("bundles", .array(c.bundles.map { .object([("bundle", .string($0.bundle)), ("sequence", .int($0.sequence)), ("ok", .bool($0.ok))]) })),
                                            ("problems", .array(c.problems.map { .string($0) }))]).pretty)
        } else if c.ok && c.entries == 0 {
            Output.print("Audit log \(path) is empty: nothing has been recorded with this configuration yet.\n")
        } else if c.ok {
            Output.print("Audit log \(path): \(c.entries) entries, chain intact; head \(c.head.sequence) \(c.head.hash.prefix(16))…\n")
            if c.lastSigned > 0 {
                Output.print("Signed by the provider key through entry \(c.lastSigned) (\(c.signedHeads) signed head(s)); \(c.unsignedTail) later entr\(c.unsignedTail == 1 ? "y is" : "ies are") covered by the chain only.\n")
            } else {
                Output.print("No signed head yet (no export, no checkpoint): the chain alone cannot show entries removed with their links recomputed.\n")
            }
            if !bundles.isEmpty { Output.print("Every bundle's recorded head is in the log (no truncation, no rewrite).\n") }
        } else {
            Output.print("Audit log \(path): BROKEN (\(c.entries) intact entries)\n")
            for p in c.problems { Output.print("  - \(p)\n") }
        }
        return c.ok ? 0 : 1
    }

    static func checkpoint(config configPath: String?, passphraseFile: String?) throws -> Int32 {
        let config = try ProviderConfig.load(path: configPath)
        guard let keyPath = config.signingKeyPath else {
            throw InputError(file: config.file, field: "signing_key", message: "no provider signing key configured", hint: "add \"signing_key\": \"path/to/provider.key\"")
        }
        let log = AuditLog(path: config.auditLogPath)
        let signing = try KeyFiles.signingKey(path: keyPath) { try Passphrase.obtain(file: passphraseFile, confirm: false) }
        let head = try log.checkpoint(key: signing.key)
        Output.print("Signed head: entry \(head.sequence) \(head.hash.prefix(16))… of \(log.path), key \(signing.key.publicKey.keyIDString)\n")
        return 0
    }
}
