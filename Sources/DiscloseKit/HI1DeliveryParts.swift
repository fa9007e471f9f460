import Foundation
import Sodium

/// Delivers a bundle in parts: the tar of the bag, cut into parts of `partSize` bytes,
/// one HI-1 message per part, each a DELIVER of a DeliveryObject with the bundle's id as
/// `DeliveryID`, its `SequenceNumber`, `LastSequence` on the last, the part's SHA-512 as
/// `Checksum`, and an `HI1PartManifest` (total, part size, whole size and SHA-512, the
/// previous part's SHA-512). The tar is streamed twice — once to hash the whole and each
/// part, once to write the messages (each part checked against the first pass) — so
/// memory stays at one part, whatever the bundle's size. `HI1DeliveryAssembly` reverses it.
public enum HI1DeliveryParts {
    /// Smallest part accepted (bytes).
    public static let minPartSize = 1024
    /// Largest part: its base64 text must stay within the reader's 8 MiB text limit.
    public static let maxPartSize = 6_000_000

    /// Where part `n` of `total` goes for an answer written at `out`: `ANSWER.part-0001.xml`.
    public static func partPath(out: String, sequence: Int) -> String {
        let stem = out.hasSuffix(".xml") ? String(out.dropLast(4)) : out
        let digits = String(sequence)
        return stem + ".part-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits + ".xml"
    }

    /// Writes every part message of the bundle at `bundlePath` (never overwriting);
    /// returns their paths in order. `tasks` are the disclosed tasks the delivery answers.
    public static func write(bundlePath: String, bundleID: String, tasks: [HI1TaskOutcome], request: HI1Request,
                             from: HI1Request.Endpoint, now: Instant, partSize: Int, out: String) throws -> [String] {
        guard (minPartSize...maxPartSize).contains(partSize) else {
            throw InputError(file: out, message: "a part size must be from \(minPartSize) to \(maxPartSize) bytes, not \(partSize)")
        }
        let prefix = PathName.name(bundlePath)
        // Pass 1: the whole's size and SHA-512, and each part's SHA-512.
        var whole = SHA512()
        var partDigests: [String] = []
        var cutter = PartCutter(size: partSize)
        let wholeBytes = try Tar.stream(directory: bundlePath, prefix: prefix) { chunk in
            whole.update(chunk)
            cutter.add(chunk) { partDigests.append(Hex.encode(SHA512.hash($0))) }
        }
        cutter.finish { partDigests.append(Hex.encode(SHA512.hash($0))) }
        let wholeDigest = Hex.encode(whole.finalize())
        let total = partDigests.count
        let paths = (1...total).map { partPath(out: out, sequence: $0) }
        for p in paths where FileManager.default.fileExists(atPath: p) {
            throw InputError(file: p, message: "already exists; refusing to overwrite", hint: "choose another --out")
        }
        // Pass 2: write each part's message.
        var sequence = 0
        var written: [String] = []
        func emit(_ part: [UInt8]) throws {
            sequence += 1
            let digest = Hex.encode(SHA512.hash(part))
            guard sequence <= total, digest == partDigests[sequence - 1] else {
                throw InputError(file: bundlePath, message: "the bundle changed while it was being delivered; nothing usable was written")
            }
            let manifest = HI1PartManifest(total: total, partSize: partSize, wholeBytes: wholeBytes, wholeSHA512: wholeDigest,
                                           previousSHA512: sequence == 1 ? nil : partDigests[sequence - 2])
            let xml = message(part: part, digest: digest, sequence: sequence, manifest: manifest, bundleID: bundleID, tasks: tasks,
                              request: request, from: from, now: now)
            try AtomicFile.write(Array(xml.utf8), to: paths[sequence - 1], overwrite: false)
            written.append(paths[sequence - 1])
        }
        do {
            var second = PartCutter(size: partSize)
            var failure: (any Error)?
            try Tar.stream(directory: bundlePath, prefix: prefix) { chunk in
                second.add(chunk) { part in if failure == nil { do { try emit(part) } catch { failure = error } } }
                if let failure { throw failure }
            }
            second.finish { part in if failure == nil { do { try emit(part) } catch { failure = error } } }
            if let failure { throw failure }
            guard sequence == total else { throw InputError(file: bundlePath, message: "the bundle changed while it was being delivered") }
        } catch {
            for p in written { unlink(p) }
            throw error
        }
        return written
    }

    /// One part's message.
    static func message(part: [UInt8], digest: String, sequence: Int, manifest: HI1PartManifest, bundleID: String,
                        tasks: [HI1TaskOutcome], request: HI1Request, from: HI1Request.Endpoint, now: Instant) -> String {
        let id = HI1Envelope.derivedUUID("part|\(bundleID)|\(sequence)")
        return HI1Envelope.message(from: from, to: request.sender, transaction: HI1Envelope.derivedUUID("transaction|" + id), now: now) { w in
            w.element("ActionRequest") { w in
                w.leaf("ActionIdentifier", "0")
                w.element("DELIVER") { w in
                    w.leaf("Identifier", id)
                    w.element("HI1Object", [("xsi:type", "delivery:DeliveryObject")]) { w in
                        w.leaf("ObjectIdentifier", id)
                        HI1Envelope.associated(&w, tasks.map(\.objectIdentifier))
                        if tasks.count == 1, let r = tasks[0].reference { w.element("delivery:Reference") { $0.leaf("delivery:LDID", r) } }
                        w.leaf("delivery:DeliveryID", bundleID)
                        w.leaf("delivery:SequenceNumber", String(sequence))
                        w.leaf("delivery:LastSequence", sequence == manifest.total ? "true" : "false")
                        w.element("delivery:Manifest") { w in
                            w.element("delivery:ExternalSchema") { w in
                                w.leaf("delivery:ManifestID", HI1Profile.partManifestID)
                                w.element("delivery:ManifestContents") { w in
                                    w.element("delivery:BinaryData") { w in
                                        w.leaf("delivery:Data", Base64.padded.encode(Array(manifest.text.utf8)))
                                        w.leaf("delivery:ContentType", "text/plain; charset=utf-8")
                                    }
                                }
                            }
                        }
                        w.element("delivery:Delivery") { w in
                            w.element("delivery:BinaryData") { w in
                                w.leaf("delivery:Data", unescaped: Base64.padded.encode(part))
                                w.leaf("delivery:ContentType", "application/x-tar")
                                w.leaf("delivery:Checksum", digest)
                                w.leaf("delivery:ChecksumType", HI1Profile.checksumType)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Cuts a byte stream into parts of `size` bytes (the last one shorter), holding one part.
struct PartCutter {
    let size: Int
    private var buffer: [UInt8] = []
    init(size: Int) { self.size = size; buffer.reserveCapacity(size) }

    mutating func add(_ chunk: UnsafeRawBufferPointer, _ onPart: ([UInt8]) -> Void) {
        var offset = 0
        while offset < chunk.count {
            let n = min(size - buffer.count, chunk.count - offset)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[offset..<offset + n]).bindMemory(to: UInt8.self))
            offset += n
            if buffer.count == size { onPart(buffer); buffer.removeAll(keepingCapacity: true) }
        }
    }

    mutating func finish(_ onPart: ([UInt8]) -> Void) {
        if !buffer.isEmpty { onPart(buffer); buffer.removeAll() }
    }
}
