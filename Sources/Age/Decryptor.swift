import Foundation
import Sodium

/// Decrypts age v1 files with one or more X25519 identities.
///
/// The header is parsed strictly and completely, the file key unwrapped, and the
/// header MAC checked in constant time before any payload is read. The payload is then
/// opened a batch of 64 KiB chunks at a time, in parallel on all cores, and each
/// chunk's plaintext goes to the sink only after its tag verified, in order. Failures
/// (a bad tag, truncation, a missing, empty or duplicate final chunk, trailing data)
/// throw `AgeError.payloadFailure` after releasing just the chunks that verified
/// before it; use `decryptFile(at:to:)` to release nothing unless the whole file is good.
///
/// Not thread-safe: run one decryption per decryptor at a time.
public final class Decryptor {
    /// How the input is encoded.
    public enum InputFormat: Sendable {
        /// ASCII armor when the input starts with `-----BEGIN AGE ENCRYPTED FILE-----`
        /// (after optional whitespace-only lines), binary otherwise.
        case detect
        /// Binary age only.
        case binary
        /// ASCII-armored age only.
        case armored
    }

    private let identities: [Identity]
    private let format: InputFormat
    private var ledger = BufferLedger()

    /// The most bytes of working buffers the last `decrypt` call held at once.
    public var peakBufferedBytes: Int { ledger.peak }

    /// A decryptor trying `identities` in order.
    public init(identities: [Identity], format: InputFormat = .detect) {
        self.identities = identities
        self.format = format
    }

    /// Decrypts the input produced by `read` and passes plaintext to `write`.
    /// - Parameters:
    ///   - read: fills the buffer with the next input bytes and returns how many; 0 at EOF.
    ///     It may be called on a worker thread while the previous batch is opened, but
    ///     never concurrently with itself, and never after this call returns.
    ///   - write: receives authenticated plaintext, in order.
    /// - Throws: `AgeError`, or an error thrown by `read` or `write`, unchanged.
    public func decrypt(reading read: (UnsafeMutableRawBufferPointer) throws -> Int,
                        writing write: (UnsafeRawBufferPointer) throws -> Void) throws {
        try withoutActuallyEscaping(read) { read in
            try run(source: ClosureSource(read), write: write)
        }
    }

    /// Decrypts from an open file descriptor (read until EOF; not closed).
    public func decrypt(fileDescriptor: Int32, writing write: (UnsafeRawBufferPointer) throws -> Void) throws {
        try run(source: FileDescriptorSource(fd: fileDescriptor), write: write)
    }

    /// Decrypts from a `FileHandle` (read until EOF; not closed).
    public func decrypt(fileHandle: FileHandle, writing write: (UnsafeRawBufferPointer) throws -> Void) throws {
        try decrypt(fileDescriptor: fileHandle.fileDescriptor, writing: write)
    }

    /// One-shot: decrypts a whole age file in memory. Throws on any failure and then
    /// returns nothing, not even verified chunks.
    public func decrypt(_ ciphertext: [UInt8]) throws -> [UInt8] {
        var offset = 0
        var out: [UInt8] = []
        try ciphertext.withUnsafeBytes { input in
            try decrypt(reading: { buffer in
                let n = min(buffer.count, input.count - offset)
                if n > 0 { buffer.baseAddress!.copyMemory(from: input.baseAddress! + offset, byteCount: n) }
                offset += n
                return n
            }, writing: { out.append(contentsOf: $0) })
        }
        return out
    }

    // MARK: - Pipeline

    private func run(source raw: ByteSource, write: (UnsafeRawBufferPointer) throws -> Void) throws {
        ledger = BufferLedger()
        let outer = BufferedSource(raw, capacity: 64 * 1024, ledger: ledger)
        let input: BufferedSource
        if try isArmored(outer) {
            input = BufferedSource(ArmorReader(outer, ledger: ledger), capacity: 64 * 1024, ledger: ledger)
        } else {
            input = outer
        }

        let header = try Header.parse(from: input, ledger: ledger)
        if header.stanzas.contains(where: { $0.type == "scrypt" }) {
            throw AgeError.unsupported("passphrase-encrypted file, not supported")
        }
        try X25519Stanza.validate(header.stanzas)
        var fileKey: SecretBytes?
        for identity in identities {
            if let key = try identity.unwrap(header.stanzas) { fileKey = key; break }
        }
        guard let fileKey else {
            throw AgeError.noMatch(identities.isEmpty ? "no identities given" : "no identity matched any of the recipients")
        }
        guard header.verifyMAC(fileKey: fileKey) else { throw AgeError.hmacFailure("bad header MAC") }

        var nonce = [UInt8](repeating: 0, count: PayloadStream.nonceSize)
        let got = try nonce.withUnsafeMutableBytes { try input.readFully(into: $0) }
        guard got == PayloadStream.nonceSize else {
            throw AgeError.headerFailure("payload nonce missing or shorter than 16 bytes")
        }
        let payloadKey = PayloadStream.key(fileKey: fileKey, nonce: nonce)
        try payloadKey.withUnsafeBytes { key in try openPayload(input, key: key, write: write) }
    }

    /// Armor detection: `.detect` skips whitespace and looks for the BEGIN label.
    private func isArmored(_ source: BufferedSource) throws -> Bool {
        switch format {
        case .binary: return false
        case .armored: return true
        case .detect:
            let head = try source.peek(Armor.maxWhitespace + Armor.begin.count)
            guard let first = head.firstIndex(where: { !Armor.isWhitespace($0) }) else { return false }
            return head[first...].starts(with: Armor.begin)
        }
    }

    /// Reads and opens the STREAM payload. Keeps one sealed chunk of lookahead beyond
    /// each batch so it knows whether the batch's last chunk is the end of the input.
    /// Two ciphertext buffers alternate: while the workers open batch k, one work item
    /// reads batch k+1 (the read closure is then called on a worker thread, but never
    /// concurrently with itself).
    private func openPayload(_ input: BufferedSource, key: UnsafeRawBufferPointer,
                             write: (UnsafeRawBufferPointer) throws -> Void) throws {
        let batch = PayloadStream.batchChunks
        let sealed = PayloadStream.sealedChunkSize
        let batchBytes = batch * sealed
        let cipherCapacity = batchBytes + sealed
        let plainCapacity = (batch + 1) * PayloadStream.chunkSize
        let buffers = [ledger.allocate(cipherCapacity), ledger.allocate(cipherCapacity)]
        let plain = ledger.allocate(plainCapacity)
        defer {
            Memory.wipe(UnsafeMutableRawBufferPointer(start: plain, count: plainCapacity))
            for b in buffers { ledger.release(b, count: cipherCapacity) }
            ledger.release(plain, count: plainCapacity)
        }
        var current = 0
        var counter: UInt64 = 0
        var filled = try input.readFully(into: UnsafeMutableRawBufferPointer(start: buffers[0], count: cipherCapacity))
        while filled == cipherCapacity {
            // More input follows the first `batch` chunks: none of them ends the stream.
            let cipher = buffers[current], next = buffers[1 - current]
            var nextFilled = 0
            var readError: (any Error)?
            let outcomes = PayloadStream.open(key: key, counter: counter,
                                              ciphertext: UnsafeRawBufferPointer(start: cipher, count: batchBytes),
                                              output: plain, alongside: {
                // Only this item touches `next`, the lookahead tail of `cipher` and `input`.
                next.copyMemory(from: cipher + batchBytes, byteCount: sealed)
                do {
                    nextFilled = sealed + (try input.readFully(into: UnsafeMutableRawBufferPointer(start: next + sealed, count: cipherCapacity - sealed)))
                } catch { readError = error }
            })
            try release(outcomes, counter: counter, plain: plain, endOfInput: false, write: write)
            if let readError { throw readError }
            counter += UInt64(batch)
            current = 1 - current
            filled = nextFilled
        }
        guard filled > 0 else {
            throw AgeError.payloadFailure(counter == 0 ? "no payload chunks (missing final chunk)" : "truncated: missing final chunk")
        }
        try release(PayloadStream.open(key: key, counter: counter,
                                        ciphertext: UnsafeRawBufferPointer(start: buffers[current], count: filled),
                                        output: plain),
                    counter: counter, plain: plain, endOfInput: true, write: write)
    }

    /// Releases verified chunks in order and enforces the STREAM end rules.
    private func release(_ outcomes: [PayloadStream.Outcome], counter: UInt64, plain: UnsafeMutableRawPointer,
                         endOfInput: Bool, write: (UnsafeRawBufferPointer) throws -> Void) throws {
        var verified = 0
        func flush() throws {
            if verified > 0 { try write(UnsafeRawBufferPointer(start: plain, count: verified)) }
        }
        for (i, outcome) in outcomes.enumerated() {
            let index = counter + UInt64(i)
            switch outcome {
            case .failed:
                try flush()
                throw AgeError.payloadFailure("failed to decrypt and authenticate payload chunk \(index)")
            case .nonFinal(let n):
                verified += n
            case .final(let n):
                if n == 0 && index > 0 {
                    try flush()
                    throw AgeError.payloadFailure("final chunk \(index) is empty")
                }
                verified += n
                try flush()
                guard endOfInput && i == outcomes.count - 1 else {
                    throw AgeError.payloadFailure("trailing data after the final chunk")
                }
                return
            }
        }
        try flush()
        if endOfInput { throw AgeError.payloadFailure("truncated: file ends without a final chunk") }
    }
}
