import DiscloseKit

/// `disclose keygen signing|recipient|pseudonym`: the keys are made by `KeyGeneration`.
enum KeygenCommand {
    static func signing(out: String, unencrypted: Bool, comment: String?, passphraseFile: String?) throws -> Int32 {
        let key = try KeyGeneration.signing(out: out, unencrypted: unencrypted, comment: comment) {
            try Passphrase.obtain(file: passphraseFile, confirm: true)
        }
        Output.print("Signing key \(key.keyID): secret key \(key.secretKeyPath) (mode 600\(unencrypted ? ", UNENCRYPTED" : ", passphrase-protected")), public key \(key.publicKeyPath)\n")
        Output.print("Public key: \(key.publicKey)\n")
        return 0
    }

    static func recipient(out: String) throws -> Int32 {
        let recipient = try KeyGeneration.recipient(out: out)
        Output.print("age identity \(out) (mode 600); recipient \(out).pub:\n\(recipient)\n")
        return 0
    }

    static func pseudonym(out: String) throws -> Int32 {
        try KeyGeneration.pseudonym(out: out)
        Output.print("Pseudonymization secret written to \(out) (mode 600). Keep it with the provider; it never goes into a plan or bundle.\n")
        return 0
    }
}
