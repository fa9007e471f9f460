import CSodium
import Foundation

/// Secret bytes kept in libsodium's guarded memory and wiped when released.
///
/// Keys and other secrets live here rather than in `[UInt8]`, which Swift may copy
/// freely and never zeroes. The buffer is `sodium_malloc`ed (guard pages, mlock where
/// permitted) and `sodium_free` wipes it on deinit.
public final class SecretBytes: @unchecked Sendable {
    private let pointer: UnsafeMutableRawPointer
    /// Number of bytes held.
    public let count: Int

    /// Allocates `count` zeroed secret bytes.
    public init(count: Int) {
        Library.ensureInitialized()
        precondition(count >= 0)
        guard let p = sodium_malloc(max(count, 1)) else {
            fatalError("sodium_malloc failed: out of memory")
        }
        pointer = p
        self.count = count
        sodium_memzero(p, max(count, 1))
    }

    /// Copies `bytes` into guarded memory. The caller should wipe its own copy.
    public convenience init<C: Collection>(copying bytes: C) where C.Element == UInt8 {
        self.init(count: bytes.count)
        let dest = pointer.assumingMemoryBound(to: UInt8.self)
        var i = 0
        for b in bytes { dest[i] = b; i += 1 }
    }

    /// Fresh random secret bytes from the system CSPRNG.
    public static func random(count: Int) -> SecretBytes {
        let s = SecretBytes(count: count)
        if count > 0 { randombytes_buf(s.pointer, count) }
        return s
    }

    deinit { sodium_free(pointer) }

    /// Read-only access to the secret. Do not let the pointer escape.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Mutable access, for filling the secret in place (derivations, decryptions).
    public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
    }

    /// Constant-time comparison with another secret of any length.
    public func constantTimeEquals(_ other: SecretBytes) -> Bool {
        guard count == other.count else { return false }
        if count == 0 { return true }
        return sodium_memcmp(pointer, other.pointer, count) == 0
    }

    /// A copy of the bytes as an array, for values that stop being secret (public keys)
    /// or must cross an API boundary; prefer keeping secrets in `SecretBytes`.
    public func copyBytes() -> [UInt8] {
        [UInt8](UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
