import Sodium

/// A minisign secret key: key id plus the 64-byte libsodium Ed25519 secret key
/// (seed ‖ public key), held in guarded memory that is wiped when released.
///
/// On disk it is a 2-line file whose second line is padded base64 of a 158-byte blob:
/// `"Ed"`, kdf (`"Sc"` or `00 00`), `"B2"`, salt (32), opslimit (LE u64), memlimit
/// (LE u64), then key id (8) ‖ secret key (64) ‖ BLAKE2b-256 checksum (32). With `Sc`
/// those last 104 bytes are XORed with scrypt(passphrase, salt, opslimit, memlimit).
public struct SecretKey: Sendable {
    /// scrypt cost limits as stored in a protected key (libsodium's
    /// `crypto_pwhash_scryptsalsa208sha256` opslimit/memlimit).
    public struct ScryptLimits: Hashable, Sendable {
        /// Operations limit.
        public var opsLimit: UInt64
        /// Memory limit in bytes.
        public var memLimit: UInt64

        /// Creates limits; any values libsodium accepts work with minisign.
        public init(opsLimit: UInt64, memLimit: UInt64) {
            self.opsLimit = opsLimit
            self.memLimit = memLimit
        }

        /// What minisign 0.11 writes: opslimit 33554432, memlimit 1 GiB
        /// (scrypt N = 2^20, r = 8, p = 1; about 3 s and 1 GiB).
        public static let minisign = ScryptLimits(opsLimit: Scrypt.minisignOpsLimit, memLimit: Scrypt.minisignMemLimit)

        /// The largest limits a key file may carry before loading refuses it, so that a
        /// hostile key file cannot demand unbounded memory or time: 32× minisign's
        /// opslimit and 8× its memlimit.
        public static let maximumAccepted = ScryptLimits(opsLimit: 1 << 30, memLimit: 1 << 33)

        /// libsodium's minimums (`OPSLIMIT_MIN`, `MEMLIMIT_MIN`); minisign stops
        /// halving below them.
        static let minimum = ScryptLimits(opsLimit: 32768, memLimit: 16_777_216)
    }

    /// How to write the secret key file.
    public enum Protection: Sendable {
        /// Encrypt with scrypt under `passphrase` and a fresh salt, as `minisign -G`.
        /// With `.minisign` limits, if scrypt cannot get the memory, both limits are
        /// halved until it can, as minisign does.
        case passphrase(SecretBytes, limits: ScryptLimits = .minisign)
        /// No encryption, as `minisign -G -W` (kdf `00 00`). The checksum is stored
        /// (minisign 0.11 leaves it zero but accepts it).
        case unprotected
    }

    /// The comment `minisign -G` writes, for protected and unprotected keys alike.
    public static let defaultComment = "minisign encrypted secret key"

    static let blobLength = 158
    static let maxKeyLine = Framing.base64Length(blobLength) + 2
    static let kdfScrypt: [UInt8] = Array("Sc".utf8)
    static let kdfNone: [UInt8] = [0, 0]
    static let checksumAlgorithm: [UInt8] = Array("B2".utf8)
    /// key id ‖ secret key ‖ checksum: the part scrypt's stream encrypts.
    static let protectedLength = KeyID.length + Ed25519.secretKeyLength + 32

    /// The key id shared with the public key and every signature.
    public let keyID: KeyID
    /// The matching public key.
    public let publicKey: PublicKey
    /// 64-byte libsodium secret key (seed ‖ public key).
    let secret: SecretBytes

    private init(keyID: KeyID, secret: SecretBytes) throws {
        self.keyID = keyID
        self.secret = secret
        self.publicKey = try PublicKey(keyID: keyID, rawRepresentation: Ed25519.publicKey(secretKey: secret))
        // The public half is stored, not derived: make sure it belongs to the seed, so a
        // corrupted key (minisign 0.11 -W keys carry no checksum) fails here, not later.
        let probe = Array("minisign secret key self-check".utf8)
        guard Ed25519.verify(try Ed25519.sign(probe, secretKey: secret), message: probe,
                             publicKey: publicKey.rawRepresentation) else {
            throw MinisignError.malformed("secret key is inconsistent: its public half does not match its seed")
        }
    }

    /// A fresh key pair with a random key id.
    public static func generate() -> SecretKey {
        let (_, secret) = Ed25519.generateKeyPair()
        // A freshly generated pair is always consistent and 64 bytes.
        return try! SecretKey(keyID: .random(), secret: secret)
    }

    // MARK: Reading

    /// The decoded, still possibly encrypted, key file: everything but the secret is public.
    private struct Blob {
        var bytes: [UInt8]
        var isEncrypted: Bool { Array(bytes[2..<4]) == SecretKey.kdfScrypt }
        var salt: [UInt8] { Array(bytes[6..<38]) }
        var limits: ScryptLimits {
            ScryptLimits(opsLimit: Self.le64(bytes[38..<46]), memLimit: Self.le64(bytes[46..<54]))
        }
        static func le64(_ b: ArraySlice<UInt8>) -> UInt64 { b.reversed().reduce(0) { $0 << 8 | UInt64($1) } }
    }

    private static func parse<Bytes: Collection>(_ fileContents: Bytes) throws -> Blob where Bytes.Element == UInt8 {
        guard fileContents.count <= Framing.maxUntrustedLine + maxKeyLine else {
            throw MinisignError.malformed("secret key file is larger than any valid one")
        }
        var text = Array(fileContents)
        defer { Memory.wipe(&text) }
        var reader = LineReader(text)
        _ = try reader.next(maxLength: Framing.maxUntrustedLine, isLast: false, what: "secret key comment line")
        let line = try reader.next(maxLength: maxKeyLine, isLast: true, what: "secret key line")
        try reader.expectEnd(after: "the secret key line")
        var blob = Blob(bytes: try Framing.decode(line, length: blobLength, what: "secret key"))
        guard Array(blob.bytes[0..<2]) == PublicKey.algorithm else {
            Memory.wipe(&blob.bytes)
            throw MinisignError.malformed("unsupported secret key signature algorithm (expected \"Ed\")")
        }
        let kdf = Array(blob.bytes[2..<4])
        guard kdf == kdfScrypt || kdf == kdfNone else {
            Memory.wipe(&blob.bytes)
            throw MinisignError.malformed("unsupported key derivation function (expected \"Sc\" or none)")
        }
        guard Array(blob.bytes[4..<6]) == checksumAlgorithm else {
            Memory.wipe(&blob.bytes)
            throw MinisignError.malformed("unsupported checksum function (expected \"B2\")")
        }
        return blob
    }

    /// Whether secret key file contents are passphrase-protected (kdf `Sc`), checked
    /// before asking for a passphrase. Throws `malformed` for anything but a valid key file.
    public static func isEncrypted<Bytes: Collection>(fileContents: Bytes) throws -> Bool where Bytes.Element == UInt8 {
        var blob = try parse(fileContents)
        defer { Memory.wipe(&blob.bytes) }
        return blob.isEncrypted
    }

    /// Text form of `isEncrypted(fileContents:)`.
    public static func isEncrypted(fileContents: String) throws -> Bool {
        try isEncrypted(fileContents: Array(fileContents.utf8))
    }

    /// Loads secret key file contents. Line 1 is ignored (≤ 1023 bytes); CRLF and a
    /// missing final newline are accepted.
    ///
    /// - Protected keys (`Sc`) need `passphrase` (its bytes exactly as typed, no
    ///   newline). Deriving costs what the file's limits say (1 GiB, ~3 s for minisign's);
    ///   limits above `ScryptLimits.maximumAccepted` are refused. A checksum mismatch
    ///   after decryption throws `wrongPassphrase`.
    /// - Unprotected keys ignore `passphrase`. An all-zero checksum (what minisign 0.11
    ///   writes) is accepted; any other checksum must match.
    public init<Bytes: Collection>(fileContents: Bytes, passphrase: SecretBytes? = nil) throws where Bytes.Element == UInt8 {
        var blob = try Self.parse(fileContents)
        defer { Memory.wipe(&blob.bytes) }
        // key id ‖ sk ‖ checksum, decrypted in guarded memory.
        let inner = SecretBytes(copying: blob.bytes[54...])
        let encrypted = blob.isEncrypted
        if encrypted {
            guard let passphrase else { throw MinisignError.passphraseRequired }
            try Self.checkPassphrase(passphrase)
            let limits = blob.limits
            guard limits.opsLimit <= ScryptLimits.maximumAccepted.opsLimit,
                  limits.memLimit <= ScryptLimits.maximumAccepted.memLimit else {
                throw MinisignError.malformed("scrypt limits in the key file exceed the accepted maximum")
            }
            let stream = try Self.stream(passphrase: passphrase, salt: blob.salt, limits: limits)
            Self.xor(inner, stream)
        }
        let keyID = try KeyID(bytes: inner.withUnsafeBytes { Array($0[0..<8]) })
        let secret = inner.withUnsafeBytes { SecretBytes(copying: $0[8..<72]) }
        let stored = inner.withUnsafeBytes { SecretBytes(copying: $0[72..<104]) }
        let computed = Self.checksum(keyID: keyID, secret: secret)
        if !computed.constantTimeEquals(stored) {
            if encrypted { throw MinisignError.wrongPassphrase }
            let isZero = stored.withUnsafeBytes { $0.allSatisfy { $0 == 0 } }
            guard isZero else { throw MinisignError.malformed("secret key checksum does not match: the key is corrupted") }
        }
        try self.init(keyID: keyID, secret: secret)
    }

    /// Text form of `init(fileContents:passphrase:)`.
    public init(fileContents: String, passphrase: SecretBytes? = nil) throws {
        try self.init(fileContents: Array(fileContents.utf8), passphrase: passphrase)
    }

    // MARK: Writing

    /// Secret key file contents: `untrusted comment: <comment>` and the base64 blob,
    /// each followed by LF. Returned as bytes so the caller can wipe them
    /// (`Memory.wipe`) — unprotected, they contain the secret key.
    public func fileContents(protection: Protection, comment: String = SecretKey.defaultComment) throws -> [UInt8] {
        let commentBytes = try Framing.validateComment(comment, limit: Framing.maxUntrustedComment,
                                                       what: "secret key comment")
        let inner = SecretBytes(count: Self.protectedLength)
        let checksum = Self.checksum(keyID: keyID, secret: secret)
        inner.withUnsafeMutableBytes { out in
            out.copyBytes(from: keyID.bytes)
            secret.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: out[8..<72]).copyMemory(from: $0) }
            checksum.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: out[72..<104]).copyMemory(from: $0) }
        }
        var header = PublicKey.algorithm
        switch protection {
        case .unprotected:
            header += Self.kdfNone + Self.checksumAlgorithm + [UInt8](repeating: 0, count: 32 + 8 + 8)
        case .passphrase(let passphrase, let requested):
            try Self.checkPassphrase(passphrase)
            let salt = Random.bytes(32)
            var limits = requested
            var stream: SecretBytes
            while true {
                do {
                    stream = try Self.stream(passphrase: passphrase, salt: salt, limits: limits)
                    break
                } catch MinisignError.keyDerivationFailed where requested == .minisign {
                    limits.opsLimit /= 2
                    limits.memLimit /= 2
                    guard limits.opsLimit >= ScryptLimits.minimum.opsLimit,
                          limits.memLimit >= ScryptLimits.minimum.memLimit else { throw MinisignError.keyDerivationFailed }
                }
            }
            Self.xor(inner, stream)
            header += Self.kdfScrypt + Self.checksumAlgorithm + salt
                + Self.le64Bytes(limits.opsLimit) + Self.le64Bytes(limits.memLimit)
        }
        var blob = header + inner.copyBytes()
        defer { Memory.wipe(&blob) }
        var encoded = Array(Base64.padded.encode(blob).utf8)
        defer { Memory.wipe(&encoded) }
        return Framing.untrustedPrefix + commentBytes + [0x0A] + encoded + [0x0A]
    }

    // MARK: Helpers

    /// BLAKE2b-256("Ed" ‖ key id ‖ secret key), in guarded memory.
    private static func checksum(keyID: KeyID, secret: SecretBytes) -> SecretBytes {
        let hasher = BLAKE2b(outputLength: 32)
        hasher.update(PublicKey.algorithm)
        hasher.update(keyID.bytes)
        secret.withUnsafeBytes { hasher.update($0) }
        var digest = hasher.finalize()
        defer { Memory.wipe(&digest) }
        return SecretBytes(copying: digest)
    }

    private static func stream(passphrase: SecretBytes, salt: [UInt8], limits: ScryptLimits) throws -> SecretBytes {
        do {
            return try Scrypt.derive(password: passphrase, salt: salt, opsLimit: limits.opsLimit,
                                     memLimit: limits.memLimit, length: protectedLength)
        } catch {
            throw MinisignError.keyDerivationFailed
        }
    }

    private static func checkPassphrase(_ passphrase: SecretBytes) throws {
        if passphrase.withUnsafeBytes({ $0.contains(0) }) { throw MinisignError.unsupportedPassphrase }
    }

    private static func xor(_ target: SecretBytes, _ stream: SecretBytes) {
        target.withUnsafeMutableBytes { t in
            stream.withUnsafeBytes { s in
                for i in 0..<t.count { t[i] ^= s[i] }
            }
        }
    }

    private static func le64Bytes(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
}

extension SecretKey: CustomStringConvertible {
    /// Names the key by its id only; the secret is never printed.
    public var description: String { "SecretKey(key id \(keyID))" }
}
