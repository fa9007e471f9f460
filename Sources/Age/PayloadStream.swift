import Dispatch
import Foundation
import Sodium

/// The age payload: STREAM over ChaCha20-Poly1305 with 64 KiB chunks.
///
/// Chunks are independent once their counter is known, so a batch of chunks is sealed
/// or opened concurrently on all cores, each into its own slot of the output buffer.
/// Callers release the slots in order, and only those whose tag verified.
enum PayloadStream {
    static let chunkSize = 65536
    static let tagSize = ChaCha20Poly1305.tagLength
    static let sealedChunkSize = chunkSize + tagSize
    /// Length of the random nonce after the header (an HKDF salt, not an AEAD nonce).
    static let nonceSize = 16
    static let keyInfo = Array("payload".utf8)

    /// Worker threads to use: every active core.
    static let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Chunks per batch: enough to keep every core busy, few enough to bound memory
    /// (32 chunks ≈ 2 MiB of plaintext on a 2-core machine, at most 64 ≈ 4 MiB).
    static let batchChunks = min(64, max(32, workers * 8))

    /// payloadKey = HKDF-SHA-256(ikm = file key, salt = nonce, info = "payload").
    static func key(fileKey: SecretBytes, nonce: [UInt8]) -> SecretBytes {
        HKDF.sha256(ikm: fileKey, salt: nonce, info: keyInfo)
    }

    /// Writes the 12-byte chunk nonce: 11-byte big-endian counter, then the final flag.
    @inline(__always)
    static func writeNonce(_ p: UnsafeMutableRawPointer, counter: UInt64, final: Bool) {
        p.initializeMemory(as: UInt8.self, repeating: 0, count: 12)
        var c = counter
        for i in stride(from: 10, through: 3, by: -1) {
            p.storeBytes(of: UInt8(truncatingIfNeeded: c), toByteOffset: i, as: UInt8.self)
            c >>= 8
        }
        p.storeBytes(of: final ? 1 : 0, toByteOffset: 11, as: UInt8.self)
    }

    /// Runs `chunk(0..<count)` on all cores and, when given, `alongside` once as one more
    /// work item, started first so that I/O (reading the next batch, writing the
    /// previous one) overlaps the cryptography instead of waiting for it.
    static func parallelFor(_ count: Int, alongside: (() -> Void)?, _ chunk: (Int) -> Void) {
        guard let alongside else { return parallelFor(count, chunk) }
        parallelFor(count + 1) { i in
            if i == 0 { alongside() } else { chunk(i - 1) }
        }
    }

    /// Runs `body(0..<count)` on all cores (inline when there is one item).
    static func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        if count == 1 || workers == 1 {
            for i in 0..<count { body(i) }
        } else {
            // Each iteration touches only its own chunk's input, output and result slot,
            // so sharing the non-Sendable closure across the worker threads is safe.
            withoutActuallyEscaping(body) { body in
                let shared = UncheckedSendable(body)
                DispatchQueue.concurrentPerform(iterations: count) { shared.value($0) }
            }
        }
    }

    /// Seals `plaintext` as consecutive chunks numbered from `counter` into `output`
    /// (room for `sealedSize`). Flags the last chunk final when `final`. An empty
    /// plaintext gives one empty chunk (only valid as a whole empty file).
    /// Returns (chunks, bytes written).
    static func seal(key: UnsafeRawBufferPointer, counter: UInt64, plaintext: UnsafeRawBufferPointer,
                     final: Bool, output: UnsafeMutableRawPointer, alongside: (() -> Void)? = nil) -> (chunks: Int, bytes: Int) {
        seal(key: key, counter: counter, head: plaintext, tail: UnsafeRawBufferPointer(start: nil, count: 0),
             final: final, output: output, alongside: alongside)
    }

    /// Seals the plaintext `head` followed by `tail` — two pieces of memory, so that whole
    /// chunks held back in a buffer and whole chunks still in the caller's memory go into
    /// one batch without being copied together first. `head` must be whole chunks when
    /// `tail` is not empty. Otherwise as `seal(key:counter:plaintext:…)`.
    static func seal(key: UnsafeRawBufferPointer, counter: UInt64, head: UnsafeRawBufferPointer, tail: UnsafeRawBufferPointer,
                     final: Bool, output: UnsafeMutableRawPointer, alongside: (() -> Void)? = nil) -> (chunks: Int, bytes: Int) {
        precondition(tail.isEmpty || head.count % chunkSize == 0, "a head followed by more plaintext must be whole chunks")
        let headChunks = (head.count + chunkSize - 1) / chunkSize
        let n = max(1, headChunks + (tail.count + chunkSize - 1) / chunkSize)
        parallelFor(n, alongside: alongside) { i in
            let (source, start) = i < headChunks ? (head, i * chunkSize) : (tail, (i - headChunks) * chunkSize)
            let length = min(chunkSize, source.count - start)
            withUnsafeTemporaryAllocation(byteCount: 12, alignment: 16) { nonce in
                writeNonce(nonce.baseAddress!, counter: counter + UInt64(i), final: final && i == n - 1)
                let input = length > 0 ? UnsafeRawBufferPointer(rebasing: source[start..<(start + length)])
                                       : UnsafeRawBufferPointer(start: nil, count: 0)
                ChaCha20Poly1305.seal(key: key, nonce: UnsafeRawBufferPointer(nonce), plaintext: input,
                                      output: UnsafeMutableRawBufferPointer(start: output + i * sealedChunkSize, count: length + tagSize))
            }
        }
        return (n, head.count + tail.count + n * tagSize)
    }

    /// The result of opening one chunk.
    enum Outcome {
        /// Verified as a non-final chunk with this many plaintext bytes.
        case nonFinal(Int)
        /// Verified as the final chunk with this many plaintext bytes.
        case final(Int)
        /// Shorter than a tag, or the tag verified under neither flag.
        case failed
    }

    /// Opens the chunks of `ciphertext` (numbered from `counter`) concurrently; chunk i's
    /// plaintext goes to `output + i * chunkSize`. A full-size chunk is tried as
    /// non-final, then as final; a short chunk (only possible last, at EOF) only as final.
    /// Slots of failed chunks are wiped by the AEAD and must not be released.
    static func open(key: UnsafeRawBufferPointer, counter: UInt64, ciphertext: UnsafeRawBufferPointer,
                     output: UnsafeMutableRawPointer, alongside: (() -> Void)? = nil) -> [Outcome] {
        let n = (ciphertext.count + sealedChunkSize - 1) / sealedChunkSize
        var outcomes = [Outcome](repeating: .failed, count: n)
        outcomes.withUnsafeMutableBufferPointer { results in
            parallelFor(n, alongside: alongside) { i in
                let start = i * sealedChunkSize
                let length = min(sealedChunkSize, ciphertext.count - start)
                guard length >= tagSize else { results[i] = .failed; return }
                let chunk = UnsafeRawBufferPointer(rebasing: ciphertext[start..<(start + length)])
                let out = UnsafeMutableRawBufferPointer(start: output + i * chunkSize, count: length - tagSize)
                withUnsafeTemporaryAllocation(byteCount: 12, alignment: 16) { nonce in
                    let n = UnsafeRawBufferPointer(nonce)
                    if length == sealedChunkSize {
                        writeNonce(nonce.baseAddress!, counter: counter + UInt64(i), final: false)
                        if (try? ChaCha20Poly1305.open(key: key, nonce: n, ciphertext: chunk, output: out)) != nil {
                            results[i] = .nonFinal(length - tagSize); return
                        }
                    }
                    writeNonce(nonce.baseAddress!, counter: counter + UInt64(i), final: true)
                    if (try? ChaCha20Poly1305.open(key: key, nonce: n, ciphertext: chunk, output: out)) != nil {
                        results[i] = .final(length - tagSize)
                    } else {
                        results[i] = .failed
                    }
                }
            }
        }
        return outcomes
    }
}

/// Carries a value the compiler cannot prove Sendable across threads; used only where
/// each thread works on disjoint memory (see `PayloadStream.parallelFor`).
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
