import Foundation
import Sodium

/// The throughput bound of a large export on this machine: libsodium's SHA-512 on one
/// core. Every ciphertext byte must be hashed with it, in order, for the BagIt manifest,
/// so no export can run faster; the benchmark reports an export as a share of it.
enum HashBound {
    /// SHA-512 throughput in bytes per second: the best of `runs` passes over a
    /// `mebibytes` buffer (not cache-resident, like a real payload), measured in-process.
    static func sha512BytesPerSecond(mebibytes: Int = 256, runs: Int = 3) -> Double {
        let count = mebibytes << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 64)
        defer { buffer.deallocate() }
        // Any bytes will do (SHA-512 runs in constant time); writing them also faults the
        // pages in before the first timed pass.
        for i in stride(from: 0, to: count, by: 8) { buffer.storeBytes(of: UInt64(i) &* 0x9E37_79B9_7F4A_7C15, toByteOffset: i, as: UInt64.self) }
        var best = 0.0
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            var hash = SHA512()
            hash.update(UnsafeRawBufferPointer(buffer))
            _ = hash.finalize()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = max(best, Double(count) / seconds)
        }
        return best
    }
}
