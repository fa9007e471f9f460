import Foundation
import Sodium

/// Passphrases for secret keys: the first line of a file (which must be private to its
/// owner), or asked on the terminal without echo (twice when creating a key). Held only
/// as `SecretBytes`, wiped after use; the command line never sees the bytes.
public enum Passphrase {
    /// Reads the passphrase from `file`, or asks on the terminal; with `confirm` it is
    /// asked twice and must match. Throws `PassphraseError` when none can be obtained.
    public static func obtain(file: String?, confirm: Bool) throws -> SecretBytes {
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
            throw PassphraseError(message: "no terminal to ask for a passphrase", hint: "use --passphrase-file FILE (mode 600), or --unencrypted for a throwaway key")
        }
        let first = try read(prompt: "Passphrase: ")
        if confirm {
            let second = try read(prompt: "Passphrase (again): ")
            guard first.constantTimeEquals(second) else { throw PassphraseError(message: "the passphrases do not match", hint: nil) }
        }
        guard first.count > 0 else { throw PassphraseError(message: "empty passphrase", hint: "use --unencrypted if you really want no passphrase") }
        return first
    }

    private static func read(prompt: String) throws -> SecretBytes {
        guard let p = getpass(prompt) else { throw PassphraseError(message: "cannot read a passphrase from the terminal", hint: "use --passphrase-file FILE") }
        let n = strlen(p)
        let s = SecretBytes(copying: UnsafeRawBufferPointer(start: p, count: n))
        memset(p, 0, n)
        return s
    }
}
