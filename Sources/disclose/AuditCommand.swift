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
        Output.print(json ? c.json(log: path).pretty : c.text(log: path, bundlesChecked: !bundles.isEmpty))
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
