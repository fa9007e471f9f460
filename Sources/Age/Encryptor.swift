import Foundation
import Sodium

/// Encrypts a stream to one or more recipients, emitting an age v1 file.
///
/// Feed plaintext in pieces of any size with `write(_:)`, then call `finish()`. The
/// ciphertext goes to the sink closure as it is produced, so memory stays bounded (a
/// few MB, see `peakBufferedBytes`) however long the stream. Each batch of 64 KiB
/// chunks is sealed in parallel on all cores and written in order. One full chunk is
/// always held back until more input arrives, so a plaintext that is an exact multiple
/// of 64 KiB ends with a full final chunk, as age requires. Large writes are sealed
/// straight from the caller's memory: only the chunk held back, and a partial chunk
/// before it, are copied.
///
/// Not thread-safe: drive one encryptor from one thread at a time.
public final class Encryptor {
    private let ledger = BufferLedger()
    private let rawSink: (UnsafeRawBufferPointer) throws -> Void
    private var armor: ArmorWriter?
    private var pendingPrologue: [UInt8]
    private let payloadKey: SecretBytes
    private var counter: UInt64 = 0
    private let batchBytes = PayloadStream.batchChunks * PayloadStream.chunkSize
    private let outCapacity = PayloadStream.batchChunks * PayloadStream.sealedChunkSize
    private let input: UnsafeMutableRawPointer
    private var inputCount = 0
    /// Two ciphertext buffers alternate: while batch k is sealed into one, the other
    /// (batch k-1) is handed to the sink by one extra work item.
    private let outputs: [UnsafeMutableRawPointer]
    private var current = 0
    private var pendingBytes = 0
    private var finished = false
    private var failure: (any Error)?

    /// The most bytes of working buffers this encryptor has held at once.
    public var peakBufferedBytes: Int { ledger.peak }

    /// Starts a file encrypted to `recipients` with a fresh random 16-byte file key.
    /// - Parameters:
    ///   - armored: write the PEM-style ASCII armor (`age -a`) instead of binary.
    ///   - sink: receives the ciphertext in order; its errors abort and are rethrown.
    ///     It may be called on a worker thread while the next batch is sealed, but
    ///     never concurrently with itself, and never after `finish()` returns.
    /// - Throws: `AgeError.invalidKey` with no recipients or a low-order recipient.
    public init(recipients: [Recipient], armored: Bool = false,
                sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws(AgeError) {
        guard !recipients.isEmpty else { throw .invalidKey("no recipients") }
        let fileKey = SecretBytes.random(count: X25519Stanza.fileKeyLength)
        var stanzas: [Stanza] = []
        for r in recipients { stanzas.append(try r.wrap(fileKey: fileKey)) }
        let nonce = Random.bytes(PayloadStream.nonceSize)
        pendingPrologue = Header.encode(stanzas: stanzas, fileKey: fileKey) + nonce
        payloadKey = PayloadStream.key(fileKey: fileKey, nonce: nonce)
        rawSink = sink
        input = ledger.allocate(batchBytes)
        outputs = [ledger.allocate(outCapacity), ledger.allocate(outCapacity)]
        if armored { armor = ArmorWriter(sink: sink, ledger: ledger) }
    }

    deinit {
        Memory.wipe(UnsafeMutableRawBufferPointer(start: input, count: batchBytes))
        ledger.release(input, count: batchBytes)
        for o in outputs { ledger.release(o, count: outCapacity) }
    }

    private func emit(_ bytes: UnsafeRawBufferPointer) throws {
        if let armor { try armor.write(bytes) } else { try rawSink(bytes) }
    }

    /// Sends the header and nonce before the first ciphertext.
    private func emitPrologue() throws {
        guard !pendingPrologue.isEmpty else { return }
        let prologue = pendingPrologue
        pendingPrologue = []
        try prologue.withUnsafeBytes { try emit($0) }
    }

    /// Hands the previously sealed batch (if any) to the sink, header first.
    private func emitPending() throws {
        try emitPrologue()
        if pendingBytes > 0 {
            try emit(UnsafeRawBufferPointer(start: outputs[1 - current], count: pendingBytes))
            pendingBytes = 0
        }
    }

    /// Seals a batch — the held chunks `head`, then `tail` from the caller's memory —
    /// while the previous batch goes to the sink in parallel (the sink is then called on
    /// a worker thread, never concurrently with itself). The last batch is emitted
    /// straight away.
    private func sealAndEmit(_ head: UnsafeRawBufferPointer, tail: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
                             final: Bool) throws {
        if let failure { throw failure }
        let target = outputs[current]
        var sinkError: (any Error)?
        let previous: (() -> Void)? = pendingBytes > 0 ? { do { try self.emitPending() } catch { sinkError = error } } : nil
        let result = payloadKey.withUnsafeBytes { key in
            PayloadStream.seal(key: key, counter: counter, head: head, tail: tail, final: final, output: target, alongside: previous)
        }
        if let sinkError { failure = sinkError; throw sinkError }
        counter += UInt64(result.chunks)
        pendingBytes = result.bytes
        current = 1 - current
        if final {
            do { try emitPending() } catch { failure = error; throw error }
        }
    }

    /// Fewest whole chunks of a write worth sealing straight from the caller's memory;
    /// fewer are gathered into the batch buffer, so that small writes still make full
    /// batches for all cores.
    private let minDirectChunks = max(1, PayloadStream.batchChunks / 4)

    /// Encrypts more plaintext. Whole chunks that more bytes follow are sealed straight
    /// from the caller's memory, after the whole chunks already held; a partial chunk is
    /// completed in the batch buffer first, and small writes are gathered there.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(!finished, "Encryptor.write after finish")
        let chunk = PayloadStream.chunkSize
        var rest = bytes
        while rest.count > 0 {
            if inputCount % chunk != 0 {
                // Complete the held partial chunk: chunks are sealed whole.
                take(&rest, min(chunk - inputCount % chunk, rest.count))
                continue
            }
            // Whole chunks of `rest` with at least one more byte after them are not final.
            let direct = min((rest.count - 1) / chunk, PayloadStream.batchChunks - inputCount / chunk)
            if direct >= minDirectChunks || inputCount == batchBytes {
                // More data follows, so none of these chunks is final.
                try sealAndEmit(UnsafeRawBufferPointer(start: input, count: inputCount),
                                tail: UnsafeRawBufferPointer(rebasing: rest[..<(direct * chunk)]), final: false)
                inputCount = 0
                rest = UnsafeRawBufferPointer(rebasing: rest[(direct * chunk)...])
                continue
            }
            take(&rest, min(batchBytes - inputCount, rest.count))
        }
    }

    /// Moves the first `n` bytes of `rest` into the batch buffer.
    private func take(_ rest: inout UnsafeRawBufferPointer, _ n: Int) {
        (input + inputCount).copyMemory(from: rest.baseAddress!, byteCount: n)
        inputCount += n
        rest = UnsafeRawBufferPointer(rebasing: rest[n...])
    }

    /// Encrypts more plaintext.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Seals the held-back data with the last chunk flagged final (an empty final chunk
    /// only when the whole plaintext is empty) and flushes everything to the sink.
    public func finish() throws {
        precondition(!finished, "Encryptor.finish called twice")
        finished = true
        try sealAndEmit(UnsafeRawBufferPointer(start: input, count: inputCount), final: true)
        inputCount = 0
        try armor?.finish()
    }

    /// One-shot: encrypts `plaintext` to `recipients` and returns the age file.
    public static func encrypt(_ plaintext: [UInt8], to recipients: [Recipient], armored: Bool = false) throws -> [UInt8] {
        var out: [UInt8] = []
        let encryptor = try Encryptor(recipients: recipients, armored: armored) { out.append(contentsOf: $0) }
        try encryptor.write(plaintext)
        try encryptor.finish()
        return out
    }
}
