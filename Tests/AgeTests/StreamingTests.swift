import Foundation
import Testing
@testable import Age
import Sodium

/// Long streams through a pipe: nothing is stored, and the encryptor and decryptor must
/// keep their working buffers bounded whatever the length.
@Suite("Streaming and bounded memory")
struct StreamingTests {
    /// A position-addressed pattern: byte at stream offset p is pattern[p % period].
    struct Pattern: Sendable {
        static let period = (4 << 20) + 13
        let doubled: [UInt8]
        init() { let base = Support.bytes(Pattern.period, seed: 42); doubled = base + base }
    }

    final class Box: @unchecked Sendable {
        let lock = NSLock()
        var error: (any Error)?
        var peak = 0
        var done = false
    }

    /// Encrypts `total` pattern bytes in a thread into a pipe (odd write sizes) while this
    /// thread decrypts from the pipe and checks every byte. Returns both peaks.
    func pipeRoundTrip(total: Int, armored: Bool) throws -> (encryptorPeak: Int, decryptorPeak: Int, seconds: Double) {
        let identity = Identity.generate()
        let recipient = identity.recipient
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let (readFD, writeFD) = (fds[0], fds[1])
        let pattern = Pattern()
        let box = Box()
        let start = Date()
        let writer = Thread {
            do {
                let encryptor = try Encryptor(recipients: [recipient], armored: armored) { bytes in
                    try FileOutput.writeAll(fd: writeFD, bytes, path: "pipe")
                }
                let sizes = [1, 4096, 65535, 65537, 3 << 20, 1000]
                var position = 0, k = 0
                try pattern.doubled.withUnsafeBytes { p in
                    while position < total {
                        let n = min(sizes[k % sizes.count], total - position)
                        k += 1
                        let offset = position % Pattern.period
                        try encryptor.write(UnsafeRawBufferPointer(rebasing: p[offset..<(offset + n)]))
                        position += n
                    }
                }
                try encryptor.finish()
                box.lock.lock(); box.peak = encryptor.peakBufferedBytes; box.lock.unlock()
            } catch {
                box.lock.lock(); box.error = error; box.lock.unlock()
            }
            close(writeFD)
            box.lock.lock(); box.done = true; box.lock.unlock()
        }
        writer.start()
        defer { close(readFD) }
        let decryptor = Decryptor(identities: [identity])
        var position = 0
        var mismatch = false
        try pattern.doubled.withUnsafeBytes { p in
            try decryptor.decrypt(fileDescriptor: readFD) { bytes in
                var i = 0
                while i < bytes.count {
                    let offset = position % Pattern.period
                    let n = min(bytes.count - i, Pattern.period - offset)
                    if memcmp(bytes.baseAddress! + i, p.baseAddress! + offset, n) != 0 { mismatch = true }
                    i += n; position += n
                }
            }
        }
        while true {
            box.lock.lock(); let done = box.done; box.lock.unlock()
            if done { break }
            usleep(1000)
        }
        #expect(box.error == nil, "encryptor failed: \(String(describing: box.error))")
        #expect(!mismatch, "decrypted bytes differ from the input")
        #expect(position == total)
        return (box.peak, decryptor.peakBufferedBytes, Date().timeIntervalSince(start))
    }

    @Test("1 GiB binary stream round trip keeps each side under 32 MiB of buffers")
    func oneGiB() throws {
        let result = try pipeRoundTrip(total: 1 << 30, armored: false)
        #expect(result.encryptorPeak > 0 && result.encryptorPeak < 32 << 20, "encryptor peak \(result.encryptorPeak)")
        #expect(result.decryptorPeak > 0 && result.decryptorPeak < 32 << 20, "decryptor peak \(result.decryptorPeak)")
        print("1 GiB round trip: \(String(format: "%.1f", result.seconds)) s, encryptor peak \(result.encryptorPeak) B, decryptor peak \(result.decryptorPeak) B")
    }

    @Test("64 MiB armored stream round trip keeps each side under 32 MiB of buffers")
    func armoredStream() throws {
        let result = try pipeRoundTrip(total: 64 << 20, armored: true)
        #expect(result.encryptorPeak < 32 << 20 && result.decryptorPeak < 32 << 20)
    }

    @Test("exact multiples of 64 KiB end with a full final chunk, whatever the write pattern")
    func holdBack() throws {
        let identity = Identity.generate()
        let batch = PayloadStream.batchChunks * 65536
        for size in [65536, 131072, batch, batch + 1, 3 * batch, 5 * batch + 12345] {
            let plaintext = Support.bytes(size, seed: UInt64(size))
            // Whole batches, single chunks, odd sizes, the scanner's ~1 MiB pieces, and
            // pieces just under and over what is sealed straight from the caller's memory.
            for piece in [1 << 30, 65536, 65535, 7777, (1 << 20) + 300, batch / 4 - 1, batch / 4 + 1, 600_000] {
                var out: [UInt8] = []
                let encryptor = try Encryptor(recipients: [identity.recipient]) { out.append(contentsOf: $0) }
                var i = 0
                while i < size {
                    let n = min(piece, size - i)
                    try encryptor.write(Array(plaintext[i..<(i + n)]))
                    i += n
                }
                try encryptor.finish()
                #expect(out.count == Support.binarySize(plaintext: size, recipients: 1), "size \(size), pieces of \(piece)")
                let (released, error) = Support.decrypt(out, [identity])
                #expect(error == nil && released == plaintext)
            }
        }
    }

    @Test("random mixes of write sizes decrypt to the same plaintext")
    func randomWritePatterns() throws {
        let identity = Identity.generate()
        let batch = PayloadStream.batchChunks * 65536
        var rng = UInt64(0x5EED)
        func next(_ bound: Int) -> Int { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return Int(rng % UInt64(bound)) }
        for round in 0..<24 {
            // Every fourth total is an exact multiple of the chunk size.
            let size = round % 4 == 0 ? 65536 * (1 + next(5 * PayloadStream.batchChunks)) : next(5 * batch)
            let plaintext = Support.bytes(size, seed: UInt64(round) + 1000)
            var out: [UInt8] = []
            let encryptor = try Encryptor(recipients: [identity.recipient]) { out.append(contentsOf: $0) }
            var i = 0
            while i < size {
                let n = min(size - i, [1 + next(100), 1 + next(70_000), 1 + next(2 * batch), 65536 * (1 + next(20))][next(4)])
                try encryptor.write(Array(plaintext[i..<(i + n)]))
                i += n
            }
            try encryptor.finish()
            #expect(out.count == Support.binarySize(plaintext: size, recipients: 1), "size \(size)")
            let (released, error) = Support.decrypt(out, [identity])
            #expect(error == nil && released == plaintext, "size \(size)")
        }
    }

    struct Boom: Error, Equatable {}

    @Test("errors from the sink and the read closure come back unchanged")
    func callerErrorsPropagate() throws {
        let identity = Identity.generate()
        var calls = 0
        let encryptor = try Encryptor(recipients: [identity.recipient]) { _ in
            calls += 1
            if calls == 2 { throw Boom() }
        }
        let big = [UInt8](repeating: 7, count: 20 << 20)
        #expect(throws: Boom.self) {
            try encryptor.write(big)
            try encryptor.finish()
        }
        let file = try Encryptor.encrypt(big, to: [identity.recipient])
        var offset = 0
        #expect(throws: Boom.self) {
            try Decryptor(identities: [identity]).decrypt(reading: { buffer in
                if offset > 5 << 20 { throw Boom() }
                let n = min(buffer.count, file.count - offset)
                file.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
                offset += n
                return n
            }, writing: { _ in })
        }
    }
}
