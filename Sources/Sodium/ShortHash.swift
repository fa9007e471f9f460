import CSodium

/// SipHash-2-4 (libsodium `crypto_shorthash`): a keyed 64-bit hash for hash tables that
/// hold attacker-chosen keys. With a key the attacker does not know, keys cannot be
/// crafted to collide, so a table stays linear whatever the input (hash flooding).
///
/// `ShortHash.process` is keyed once per process from the system CSPRNG; the key is not
/// a secret worth wiping (it protects only against flooding, and lives as long as the
/// process), but it is never written anywhere.
public struct ShortHash: Sendable {
    /// Key length in bytes (16).
    public static let keyLength = Int(crypto_shorthash_KEYBYTES)
    private let k0: UInt64
    private let k1: UInt64

    /// A hasher under a fresh random key.
    public init() {
        let key = Random.bytes(ShortHash.keyLength)
        self.init(key: key)
    }

    /// A hasher under `key` (exactly `keyLength` bytes; for tests).
    public init(key: [UInt8]) {
        precondition(key.count == ShortHash.keyLength, "SipHash keys are 16 bytes")
        Library.ensureInitialized()
        var a: UInt64 = 0, b: UInt64 = 0
        for i in 0..<8 { a |= UInt64(key[i]) << UInt64(8 * i); b |= UInt64(key[8 + i]) << UInt64(8 * i) }
        k0 = a; k1 = b
    }

    /// The per-process hasher.
    public static let process = ShortHash()

    /// The SipHash-2-4 of `bytes[0..<count]` (`bytes` may be nil when `count` is 0).
    @inline(__always)
    public func hash(_ bytes: UnsafePointer<UInt8>?, count: Int) -> UInt64 {
        var out: UInt64 = 0
        var key = (k0, k1)
        let input = bytes ?? ShortHash.empty
        withUnsafeMutableBytes(of: &out) { o in
            withUnsafeBytes(of: &key) { k in
                _ = crypto_shorthash(o.baseAddress!.assumingMemoryBound(to: UInt8.self), input, UInt64(count),
                                     k.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        return UInt64(littleEndian: out)
    }

    /// A readable byte for empty inputs (libsodium reads none of it).
    nonisolated(unsafe) private static let empty = UnsafePointer(UnsafeMutablePointer<UInt8>.allocate(capacity: 1))

    /// The SipHash-2-4 of `bytes`.
    public func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { hash($0.baseAddress, count: $0.count) }
    }
}
