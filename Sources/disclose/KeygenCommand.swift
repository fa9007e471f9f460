import Age
import DiscloseKit
import Foundation
import Minisign
import Sodium

/// `disclose keygen signing|recipient|pseudonym`.
enum KeygenCommand {
    static func signing(out: String, unencrypted: Bool, comment: String?, passphraseFile: String?) throws -> Int32 {
        let keyPath = out + ".key", pubPath = out + ".pub"
        try KeyFiles.ensureAbsent([keyPath, pubPath])
        let key = SecretKey.generate()
        let protection: SecretKey.Protection
        if unencrypted {
            protection = .unprotected
        } else {
            protection = .passphrase(try Passphrase.obtain(file: passphraseFile, confirm: true))
        }
        var secret = try key.fileContents(protection: protection, comment: comment.map { "\($0) (secret key)" } ?? SecretKey.defaultComment)
        defer { Memory.wipe(&secret) }
        try AtomicFile.write(secret, to: keyPath, mode: 0o600, overwrite: false)
        try AtomicFile.write(Array(try key.publicKey.fileContents(comment: comment.map { "\($0) (public key \(key.keyID))" }).utf8),
                             to: pubPath, mode: 0o644, overwrite: false)
        Output.print("Signing key \(key.keyID): secret key \(keyPath) (mode 600\(unencrypted ? ", UNENCRYPTED" : ", passphrase-protected")), public key \(pubPath)\n")
        Output.print("Public key: \(key.publicKey.base64)\n")
        return 0
    }

    static func recipient(out: String) throws -> Int32 {
        let pubPath = out + ".pub"
        try KeyFiles.ensureAbsent([out, pubPath])
        let identity = Identity.generate()
        var text = Array(IdentityFile(identities: [identity]).serialized().utf8)
        defer { Memory.wipe(&text) }
        try AtomicFile.write(text, to: out, mode: 0o600, overwrite: false)
        try AtomicFile.write(Array("\(identity.recipient)\n".utf8), to: pubPath, mode: 0o644, overwrite: false)
        Output.print("age identity \(out) (mode 600); recipient \(pubPath):\n\(identity.recipient)\n")
        return 0
    }

    static func pseudonym(out: String) throws -> Int32 {
        try KeyFiles.ensureAbsent([out])
        let secret = SecretBytes.random(count: 32)
        var text = Array((secret.withUnsafeBytes { Hex.encode($0) } + "\n").utf8)
        defer { Memory.wipe(&text) }
        try AtomicFile.write(text, to: out, mode: 0o600, overwrite: false)
        Output.print("Pseudonymization secret written to \(out) (mode 600). Keep it with the provider; it never goes into a plan or bundle.\n")
        return 0
    }
}

/// Passphrases: the first line of a file, or asked on the terminal (twice when creating).
enum Passphrase {
    static func obtain(file: String?, confirm: Bool) throws -> SecretBytes {
        if let file {
            try SecretFile.checkPermissions(path: file)
            var bytes = try FileBytes.read(path: file, limit: 4096)
            defer { Memory.wipe(&bytes) }
            let line = bytes.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: false).first ?? []
            var trimmed = Array(line)
            if trimmed.last == 0x0D { trimmed.removeLast() }
            defer { Memory.wipe(&trimmed) }
            guard !trimmed.isEmpty else { throw InputError(file: file, message: "the passphrase file's first line is empty") }
            return SecretBytes(copying: trimmed)
        }
        guard isatty(0) == 1 || FileManager.default.isReadableFile(atPath: "/dev/tty") else {
            throw UsageError(message: "no terminal to ask for a passphrase", hint: "use --passphrase-file FILE (mode 600), or --unencrypted for a throwaway key")
        }
        let first = try read(prompt: "Passphrase: ")
        if confirm {
            let second = try read(prompt: "Passphrase (again): ")
            guard first.constantTimeEquals(second) else { throw UsageError(message: "the passphrases do not match", hint: nil) }
        }
        guard first.count > 0 else { throw UsageError(message: "empty passphrase", hint: "use --unencrypted if you really want no passphrase") }
        return first
    }

    private static func read(prompt: String) throws -> SecretBytes {
        guard let p = getpass(prompt) else { throw UsageError(message: "cannot read a passphrase from the terminal", hint: "use --passphrase-file FILE") }
        let n = strlen(p)
        let s = SecretBytes(copying: UnsafeRawBufferPointer(start: p, count: n))
        memset(p, 0, n)
        return s
    }
}
