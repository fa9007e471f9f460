import Age
import Foundation
import Primitives
import Minisign
import Sodium

/// Loading and writing key files with the hygiene rules: secret files must not be
/// group- or world-readable, secrets are wiped after use, nothing is overwritten.
public enum KeyFiles {
    /// A loaded signing key and whether it is a clearly marked demo key.
    public struct SigningKey: Sendable {
        /// The key.
        public var key: SecretKey
        /// True when the file says DEMO: such keys must never sign real cases.
        public var isDemo: Bool
    }

    /// Loads a minisign secret key; `passphrase` is asked only when the key is protected.
    public static func signingKey(path: String, passphrase: () throws -> SecretBytes) throws -> SigningKey {
        try SecretFile.checkPermissions(path: path)
        var bytes = try FileBytes.read(path: path, limit: 4096)
        defer { Memory.wipe(&bytes) }
        let isDemo = path.contains("DEMO") || String(decoding: bytes.prefix(200), as: UTF8.self).contains("DEMO")
        do {
            let encrypted = try SecretKey.isEncrypted(fileContents: bytes)
            let key = try SecretKey(fileContents: bytes, passphrase: encrypted ? try passphrase() : nil)
            return SigningKey(key: key, isDemo: isDemo)
        } catch let e as MinisignError {
            switch e {
            case .wrongPassphrase: throw InputError(file: path, message: "wrong passphrase for this key")
            default: throw InputError(file: path, message: "not a usable minisign secret key: \(e)")
            }
        }
    }

    /// Loads a minisign public key file (`.pub`) or an inline `RW…` key.
    public static func publicKey(_ pathOrKey: String) throws -> PublicKey {
        if pathOrKey.hasPrefix("RW"), pathOrKey.utf8.count == 56, !FileManager.default.fileExists(atPath: pathOrKey) {
            do { return try PublicKey(base64: pathOrKey) } catch { throw InputError(file: "<command line>", message: "not a minisign public key: \(error)") }
        }
        let bytes = try FileBytes.read(path: pathOrKey, limit: 4096)
        do { return try PublicKey(fileContents: bytes) } catch {
            throw InputError(file: pathOrKey, message: "not a minisign public key: \(error)")
        }
    }

    /// Loads age identities from identity files (age-keygen format).
    public static func identities(paths: [String]) throws -> [Identity] {
        var out: [Identity] = []
        for p in paths {
            try SecretFile.checkPermissions(path: p)
            var bytes = try FileBytes.read(path: p, limit: 1 << 20)
            defer { Memory.wipe(&bytes) }
            do { out += try IdentityFile(parsing: String(decoding: bytes, as: UTF8.self)).identities } catch {
                throw InputError(file: p, message: "not an age identity file: \(error)", hint: "expected AGE-SECRET-KEY-1… lines, as age-keygen writes them or", next: .makeRecipientKey())
            }
        }
        return out
    }

    /// Refuses to start writing a key when any of `paths` exists.
    public static func ensureAbsent(_ paths: [String]) throws {
        for p in paths {
            var st = stat()
            if lstat(p, &st) == 0 { throw InputError(file: p, message: "already exists; keys are never overwritten", hint: "choose another --out path") }
        }
    }
}
