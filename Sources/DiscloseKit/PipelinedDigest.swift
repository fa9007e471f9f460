import Dispatch
import Sodium

/// SHA-512 computed on its own thread while the caller goes on producing data: the
/// scoped output's digest is the single most expensive step of a large disclosure, and
/// on a machine with more than one core it need not hold up scoping and encryption.
/// At most `depth` chunks are in flight, so memory stays bounded.
final class PipelinedSHA512: @unchecked Sendable {
    private var hash = SHA512()               // touched only on `queue`
    private let queue = DispatchQueue(label: "disclose.sha512")
    private let slots: DispatchSemaphore

    /// A digest with at most `depth` pending chunks.
    init(depth: Int = 2) { slots = DispatchSemaphore(value: depth) }

    /// Queues a copy of `bytes` for hashing; blocks while `depth` chunks are pending.
    func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        slots.wait()
        let copy = [UInt8](bytes)
        queue.async {
            self.hash.update(copy)
            self.slots.signal()
        }
    }

    /// Waits for the pending chunks and returns the digest.
    func finalize() -> [UInt8] { queue.sync { hash.finalize() } }
}
