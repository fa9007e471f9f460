import Sodium

/// Writing bytes that are secret or personal (a secret key, an age identity, the
/// pseudonymization secret, sampled records) to a new file readable only by its owner,
/// and wiping them from memory whatever happens: one rule for every such file.
public enum SecretOutput {
    /// Writes `bytes` atomically to the new file `path` with mode 0600 (never over an
    /// existing file), then wipes `bytes`.
    public static func write(_ bytes: inout [UInt8], to path: String) throws {
        defer { Memory.wipe(&bytes) }
        try AtomicFile.write(bytes, to: path, mode: 0o600, overwrite: false)
    }
}
