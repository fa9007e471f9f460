import DiscloseKit

/// Dispatches the commands that have their own files.
enum Commands {
    static func execute(_ command: Command) throws -> Int32 {
        switch command {
        case let .keygenSigning(out, unencrypted, comment, passphraseFile):
            return try KeygenCommand.signing(out: out, unencrypted: unencrypted, comment: comment, passphraseFile: passphraseFile)
        case let .keygenRecipient(out):
            return try KeygenCommand.recipient(out: out)
        case let .keygenPseudonym(out):
            return try KeygenCommand.pseudonym(out: out)
        case let .decrypt(identities, output, input):
            return try DecryptCommand.run(identities: identities, output: output, input: input)
        case let .approve(plan, key, reject, reason, replace, passphraseFile, config, yes, practice):
            return try ApproveCommand.run(plan: plan, key: key, reject: reject, reason: reason, replace: replace,
                                          passphraseFile: passphraseFile, config: config, yes: yes, practice: practice)
        case let .export(plan, out, config, tar, passphraseFile, practice, againReason):
            return try ExportCommand.run(plan: plan, out: out, config: config, tar: tar, passphraseFile: passphraseFile,
                                         practice: practice, againReason: againReason)
        case let .verify(bundle, signer, identities, extract, json):
            return try VerifyCommand.run(bundle: bundle, signer: signer, identities: identities, extract: extract, json: json)
        case let .lifecycle(lifecycle):
            return try lifecycle.run()
        case let .hi1Import(request, out, config, updateOf?):
            return try HI1Commands.importUpdate(update: request, of: updateOf, out: out, config: config)
        case let .hi1Import(request, out, config, nil):
            return try HI1Commands.importRequest(request: request, out: out, config: config)
        case let .respond(options):
            return try HI1Commands.respond(options)
        case let .importDelivery(parts, out):
            return try HI1Commands.importDelivery(parts: parts, out: out)
        case .help, .version, .plan, .review, .completion, .manPage:
            return try CLI.execute(command)
        }
    }
}
