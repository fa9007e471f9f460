import Age
import Minisign
import Sodium

/// Creating the keys Disclose uses — minisign signing keys (the provider, reviewers), age
/// identities and their recipients (authorities, the provider's escrow) and the provider's
/// pseudonymization secret — written with the key-file rules: nothing overwritten, secret
/// files mode 0600 and wiped from memory, public files 0644.
public enum KeyGeneration {
    /// What a new signing key pair is, and where it was written.
    public struct SigningKeyFiles: Sendable {
        /// The secret key file (`OUT.key`) and the public key file (`OUT.pub`).
        public var secretKeyPath, publicKeyPath: String
        /// The key id, as minisign prints it.
        public var keyID: String
        /// The public key in base64 (`RW…`), for the policy's approver list.
        public var publicKey: String
    }

    /// A new minisign signing key pair at `OUT.key` and `OUT.pub`. Unless `unencrypted`,
    /// the secret key is protected with the passphrase `passphrase` returns (asked only
    /// once both files are known to be new).
    public static func signing(out: String, unencrypted: Bool, comment: String?,
                               passphrase: () throws -> SecretBytes) throws -> SigningKeyFiles {
        let keyPath = out + ".key", pubPath = out + ".pub"
        try KeyFiles.ensureAbsent([keyPath, pubPath])
        let key = SecretKey.generate()
        let protection: SecretKey.Protection = unencrypted ? .unprotected : .passphrase(try passphrase())
        var secret = try key.fileContents(protection: protection, comment: comment.map { "\($0) (secret key)" } ?? SecretKey.defaultComment)
        try SecretOutput.write(&secret, to: keyPath)
        try AtomicFile.write(Array(try key.publicKey.fileContents(comment: comment.map { "\($0) (public key \(key.keyID))" }).utf8),
                             to: pubPath, mode: 0o644, overwrite: false)
        return SigningKeyFiles(secretKeyPath: keyPath, publicKeyPath: pubPath, keyID: "\(key.keyID)", publicKey: key.publicKey.base64)
    }

    /// A new age identity at `out` (0600) and its recipient at `OUT.pub`; returns the
    /// recipient (`age1…`).
    public static func recipient(out: String) throws -> String {
        let pubPath = out + ".pub"
        try KeyFiles.ensureAbsent([out, pubPath])
        let identity = Identity.generate()
        var text = Array(IdentityFile(identities: [identity]).serialized().utf8)
        try SecretOutput.write(&text, to: out)
        try AtomicFile.write(Array("\(identity.recipient)\n".utf8), to: pubPath, mode: 0o644, overwrite: false)
        return "\(identity.recipient)"
    }

    /// A new 32-byte pseudonymization secret at `out` (hex, 0600). It stays with the
    /// provider: it never goes into a plan or a bundle.
    public static func pseudonym(out: String) throws {
        try KeyFiles.ensureAbsent([out])
        let secret = SecretBytes.random(count: 32)
        var text = Array((secret.withUnsafeBytes { Hex.encode($0) } + "\n").utf8)
        try SecretOutput.write(&text, to: out)
    }
}
