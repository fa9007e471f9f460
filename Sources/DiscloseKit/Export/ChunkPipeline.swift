import Dispatch
import Foundation
import Primitives

/// Hands a byte stream from one producer to one or more stages that run concurrently
/// with the producer and with each other — the scoped plaintext to its digest, the
/// ciphertext to its SHA-512 and to its file — without allocating anything per chunk.
///
/// The producer's bytes are copied into a fixed ring of `depth` buffers of `chunkBytes`
/// each, mapped once. Each full buffer goes to every stage, each stage on its own
/// serial queue, so every stage sees the whole stream in order. A buffer is refilled
/// only after every stage is done with it: at most `depth` buffers are in flight, so
/// memory stays bounded and a slow stage holds the producer back instead of queueing
/// without limit.
///
/// The first error a stage throws is kept; the stages skip all later buffers, and the
/// producer's next `append`, or `finish`, throws it. Producer methods are not
/// thread-safe: one producer drives a pipeline.
final class ChunkPipeline: @unchecked Sendable {
    /// A consumer of the stream: called on its own queue with each buffer in order (all
    /// full but the last); the memory is valid only during the call.
    typealias Stage = (UnsafeRawBufferPointer) throws -> Void

    /// Buffer alignment and size unit: a page (the ring is one anonymous mapping).
    static let alignment = 4096

    /// Size of each ring buffer: what a stage receives at a time.
    let chunkBytes: Int
    /// One anonymous mapping holding the ring: page-aligned, backed by the kernel only
    /// where written, and returned whole when the stream ends.
    private let region: UnsafeMutableRawPointer
    private let regionBytes: Int
    private var mapped = true
    private let buffers: [UnsafeMutableRawPointer]
    private let stages: [Stage]
    private let queues: [DispatchQueue]
    /// Per stage, the ring slots it has handed back; the producer takes one from every
    /// stage before it refills a slot.
    private let released: [DispatchSemaphore]
    private var slot = 0
    private var fill = 0
    private var holding = false
    private var finished = false
    private let lock = NSLock()
    private var failure: (any Error)?

    /// A pipeline feeding `stages`, with `depth` buffers of `chunkBytes` (a multiple of
    /// the alignment). The ring is mapped now but the kernel backs its pages only when
    /// first written, so a short stream costs little memory.
    /// Throws when the memory for the ring cannot be had.
    init(label: String, chunkBytes: Int = 1 << 20, depth: Int = 4, stages: [Stage]) throws {
        precondition(depth >= 1 && chunkBytes > 0 && chunkBytes % Self.alignment == 0 && !stages.isEmpty)
        self.chunkBytes = chunkBytes
        regionBytes = depth * chunkBytes
        guard let p = mmap(nil, regionBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            // Always the machine's failure (ENOMEM, address-space limit), never the input's.
            throw EnvironmentError(kind: .outOfMemory, file: label, operation: "cannot reserve \(regionBytes >> 10) KiB of memory for streaming",
                                   reason: String(cString: strerror(errno)))
        }
        region = p
        buffers = (0..<depth).map { p + $0 * chunkBytes }
        self.stages = stages
        queues = stages.indices.map { DispatchQueue(label: "\(label).\($0)") }
        released = stages.map { _ in DispatchSemaphore(value: depth) }
    }

    deinit {
        // Every submitted buffer has been handed back (each pending work item holds a
        // reference to the pipeline); give back the slot the producer still holds, since
        // a semaphore below its initial value must not be freed.
        if holding { for s in released { s.signal() } }
        unmap()
    }

    /// Returns the ring's memory; only once no stage can touch it any more.
    private func unmap() {
        guard mapped else { return }
        mapped = false
        munmap(region, regionBytes)
    }

    /// The first error a stage threw, if any.
    var stageError: (any Error)? { lock.lock(); defer { lock.unlock() }; return failure }

    private func fail(_ error: any Error) {
        lock.lock(); if failure == nil { failure = error }; lock.unlock()
    }

    /// Copies `bytes` into the ring, handing each buffer that fills to the stages.
    /// Blocks while every buffer is in flight. Throws a stage's error.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(!finished, "ChunkPipeline.append after finish")
        var rest = bytes
        while rest.count > 0 {
            if !holding { try acquire() }
            let n = min(chunkBytes - fill, rest.count)
            (buffers[slot] + fill).copyMemory(from: rest.baseAddress!, byteCount: n)
            fill += n
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
            if fill == chunkBytes { submit() }
        }
    }

    /// Waits until every stage is done with the next slot of the ring.
    private func acquire() throws {
        for s in released { s.wait() }
        holding = true
        fill = 0
        if let e = stageError { throw e }
    }

    /// Hands the slot being filled to every stage and moves on to the next slot.
    private func submit() {
        let chunk = Chunk(bytes: UnsafeRawBufferPointer(start: buffers[slot], count: fill))
        for i in stages.indices {
            queues[i].async { [self] in
                if stageError == nil {
                    do { try stages[i](chunk.bytes) } catch { fail(error) }
                }
                released[i].signal()
            }
        }
        holding = false
        slot = (slot + 1) % buffers.count
    }

    /// Hands over the last, partial buffer, waits until every stage has seen the whole
    /// stream, and throws the first stage error. Call once; nothing may be appended after.
    func finish() throws {
        precondition(!finished, "ChunkPipeline.finish called twice")
        finished = true
        if holding && fill > 0 { submit() }
        for q in queues { q.sync {} }
        unmap()
        if let e = stageError { throw e }
    }

    /// Abandons the stream: stages skip whatever is still queued, and this returns once
    /// none of them is running any more. For error paths; `finish` must not follow.
    func cancel() {
        guard !finished else { return }
        finished = true
        fail(CancellationError())
        for q in queues { q.sync {} }
        unmap()
    }

    /// A buffer on its way to a stage. The ring guarantees that no one writes it until
    /// every stage has handed it back, which is what makes the capture safe.
    private struct Chunk: @unchecked Sendable {
        let bytes: UnsafeRawBufferPointer
    }
}
