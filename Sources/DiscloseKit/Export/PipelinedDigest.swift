import Sodium

/// A digest computed on its own thread while the caller goes on producing data: the
/// scoped plaintext's BLAKE2b-512 and the ciphertext's SHA-512 are the most expensive
/// steps of a large disclosure, and on a machine with more than one core they need not
/// hold up scoping and encryption, nor each other. The bytes go through a
/// `ChunkPipeline` (a fixed ring of buffers, no allocation per chunk), so memory stays
/// bounded however long the stream.
final class PipelinedDigest<Hash: StreamingDigest>: @unchecked Sendable {
    private let state: DigestState<Hash>
    private let pipeline: ChunkPipeline

    /// Digests with `hash` (a fresh state) on a queue named `label`, with at most `depth`
    /// buffers of `chunkBytes` in flight.
    init(_ hash: Hash, label: String, chunkBytes: Int = 512 << 10, depth: Int = 4) throws {
        let state = DigestState(hash)
        self.state = state
        pipeline = try ChunkPipeline(label: label, chunkBytes: chunkBytes, depth: depth, stages: [{ state.hash.update($0) }])
    }

    /// Queues `bytes` for hashing (they are copied); blocks while every buffer is in flight.
    func update(_ bytes: UnsafeRawBufferPointer) {
        do { try pipeline.append(bytes) } catch { preconditionFailure("a digest stage cannot fail: \(error)") }
    }

    /// Waits for the queued bytes and returns the digest. Call once.
    func finalize() -> [UInt8] {
        do { try pipeline.finish() } catch { preconditionFailure("a digest stage cannot fail: \(error)") }
        return state.hash.finalize()
    }
}

/// The BLAKE2b-512 of the scoped plaintext, pipelined: the digest the plan binds and the
/// disclosure record carries (`b2sum` of a decrypted payload gives the same hex).
typealias PipelinedBLAKE2b512 = PipelinedDigest<BLAKE2b>

extension PipelinedDigest where Hash == BLAKE2b {
    /// A BLAKE2b-512 digest of the scoped plaintext on its own thread.
    convenience init() throws { try self.init(BLAKE2b(outputLength: 64), label: "disclose.blake2b512") }
}

/// A hash state shared between its owner, which finalizes it, and the one pipeline stage
/// that updates it; the pipeline's `finish` orders the two.
final class DigestState<Hash: StreamingDigest>: @unchecked Sendable {
    var hash: Hash
    init(_ hash: Hash) { self.hash = hash }
}
