/// Allocates the large working buffers of an encryptor or decryptor and keeps a
/// high-water mark of the bytes held, so tests can prove memory stays bounded no
/// matter how long the stream is.
final class BufferLedger {
    private(set) var current = 0
    private(set) var peak = 0

    /// An uninitialized buffer of `count` bytes, counted until `release`.
    func allocate(_ count: Int) -> UnsafeMutableRawPointer {
        note(count)
        return UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 64)
    }

    /// Frees a buffer from `allocate`.
    func release(_ pointer: UnsafeMutableRawPointer, count: Int) {
        pointer.deallocate()
        current -= count
    }

    /// Counts `delta` bytes held elsewhere (e.g. a growing header array).
    func note(_ delta: Int) {
        current += delta
        if current > peak { peak = current }
    }
}
