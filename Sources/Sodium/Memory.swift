import CSodium
import Foundation

/// Memory hygiene helpers for buffers that held secrets.
public enum Memory {
    /// Overwrites `bytes` with zeros in a way the compiler cannot elide.
    public static func wipe(_ bytes: inout [UInt8]) {
        Library.ensureInitialized()
        bytes.withUnsafeMutableBytes { buf in
            if let base = buf.baseAddress, buf.count > 0 { sodium_memzero(base, buf.count) }
        }
    }

    /// Overwrites a raw buffer with zeros.
    public static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        Library.ensureInitialized()
        if let base = buffer.baseAddress, buffer.count > 0 { sodium_memzero(base, buffer.count) }
    }

    /// Constant-time equality of two byte sequences (false when lengths differ; the
    /// length itself is not secret).
    public static func constantTimeEquals<A: ContiguousBytes, B: ContiguousBytes>(_ a: A, _ b: B) -> Bool {
        Library.ensureInitialized()
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in
                guard pa.count == pb.count else { return false }
                if pa.count == 0 { return true }
                return sodium_memcmp(pa.baseAddress!, pb.baseAddress!, pa.count) == 0
            }
        }
    }
}
