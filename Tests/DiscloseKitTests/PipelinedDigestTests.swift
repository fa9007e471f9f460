import Foundation
import Sodium
import Testing
@testable import DiscloseKit

/// The pipelined digests and the chunk ring under them: the same digest as a one-shot
/// hash whatever the piece and chunk sizes, every stage sees the stream in order, and a
/// stage's error stops the stream and reaches the producer.
@Suite("Pipelined digests")
struct PipelinedDigestTests {
    /// Deterministic pseudo-random bytes.
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var x = seed | 1
        return (0..<count).map { _ in x ^= x << 13; x ^= x >> 7; x ^= x << 17; return UInt8(truncatingIfNeeded: x) }
    }

    /// Feeds `data` in pieces of the given sizes, cycling through them.
    static func feed(_ data: [UInt8], pieces: [Int], _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try data.withUnsafeBytes { all in
            var off = 0, i = 0
            while off < all.count {
                let n = min(pieces[i % pieces.count], all.count - off)
                try body(UnsafeRawBufferPointer(rebasing: all[off..<(off + n)]))
                off += n; i += 1
            }
        }
    }

    static let chunk = 4096
    /// Stream lengths around the ring's chunk size and its multiples, and a long one.
    static let lengths = [0, 1, 63, chunk - 1, chunk, chunk + 1, 3 * chunk, 5 * chunk + 17, 200_003]
    /// Piece sizes: single bytes, odd sizes, a whole chunk, more than the whole ring.
    static let pieceSets: [[Int]] = [[1], [7, 1000, 3], [chunk], [chunk + 1], [3 * chunk - 5], [100_000], [0, 5, 0, 4099]]

    @Test("BLAKE2b-512 and SHA-512 through the pipeline equal the one-shot digests, for every length, piece size and ring depth")
    func equalsOneShot() throws {
        for length in Self.lengths {
            let data = Self.bytes(length, seed: UInt64(length) + 1)
            let blake = BLAKE2b.hash(data), sha = SHA512.hash(data)
            for pieces in Self.pieceSets where pieces.contains(where: { $0 > 0 }) {
                for depth in [1, 2, 3] {
                    let b = try PipelinedDigest(BLAKE2b(outputLength: 64), label: "test.b", chunkBytes: Self.chunk, depth: depth)
                    let s = try PipelinedDigest(SHA512(), label: "test.s", chunkBytes: Self.chunk, depth: depth)
                    Self.feed(data, pieces: pieces) { b.update($0); s.update($0) }
                    #expect(b.finalize() == blake, "BLAKE2b, length \(length), pieces \(pieces), depth \(depth)")
                    #expect(s.finalize() == sha, "SHA-512, length \(length), pieces \(pieces), depth \(depth)")
                }
            }
        }
        // The default ring over 5 MiB + 1 byte in scanner-sized pieces.
        let big = Self.bytes(5 << 20 + 1, seed: 99)
        let d = try PipelinedDigest(BLAKE2b(outputLength: 64), label: "test.big")
        Self.feed(big, pieces: [(1 << 20) + 311]) { d.update($0) }
        #expect(d.finalize() == BLAKE2b.hash(big))
    }

    @Test("every stage sees the whole stream, in order, in full chunks but the last")
    func stagesSeeTheStreamInOrder() throws {
        let data = Self.bytes(50_001, seed: 7)
        let seen = [Collected(), Collected(), Collected()]
        let pipeline = try ChunkPipeline(label: "test.order", chunkBytes: Self.chunk, depth: 2,
                                     stages: seen.map { c in { c.append($0) } })
        try Self.feed(data, pieces: [1000, 5000, 1]) { try pipeline.append($0) }
        try pipeline.finish()
        for c in seen {
            #expect(c.bytes == data)
            #expect(c.sizes.dropLast().allSatisfy { $0 == Self.chunk } && c.sizes.last == 50_001 % Self.chunk)
        }
    }

    @Test("a stage's error reaches the producer; later chunks are skipped by every stage")
    func stageErrorStopsTheStream() throws {
        struct Refused: Error {}
        let hashed = Collected(), written = Collected()
        let pipeline = try ChunkPipeline(label: "test.error", chunkBytes: Self.chunk, depth: 2, stages: [
            { hashed.append($0) },
            { b in if written.sizes.count == 3 { throw Refused() }; written.append(b) },
        ])
        let data = Self.bytes(100 * Self.chunk, seed: 3)
        var thrown: (any Error)?
        do {
            try Self.feed(data, pieces: [Self.chunk / 2]) { try pipeline.append($0) }
            try pipeline.finish()
        } catch { thrown = error }
        #expect(thrown is Refused, "the producer sees the stage's error, not a partial success")
        #expect(written.sizes.count == 3, "nothing more is written after the failure")
        #expect(hashed.sizes.count < 100, "the other stage stops too")
    }

    @Test("an abandoned pipeline stops its stages and can be freed with a buffer half filled")
    func cancelMidStream() throws {
        let seen = Collected()
        var pipeline: ChunkPipeline? = try ChunkPipeline(label: "test.cancel", chunkBytes: Self.chunk, depth: 3,
                                                     stages: [{ seen.append($0); usleep(1000) }])
        try Self.feed(Self.bytes(10 * Self.chunk + 5, seed: 5), pieces: [999]) { try pipeline!.append($0) }
        pipeline!.cancel()
        let count = seen.sizes.count
        usleep(20_000)
        #expect(seen.sizes.count == count, "no stage runs after cancel returned")
        pipeline = nil   // a semaphore below its initial value would trap here
    }
}

/// What a test stage received, safe to read from the test thread.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var _bytes: [UInt8] = []
    private var _sizes: [Int] = []
    func append(_ b: UnsafeRawBufferPointer) { lock.lock(); _bytes += b; _sizes.append(b.count); lock.unlock() }
    var bytes: [UInt8] { lock.lock(); defer { lock.unlock() }; return _bytes }
    var sizes: [Int] { lock.lock(); defer { lock.unlock() }; return _sizes }
}
