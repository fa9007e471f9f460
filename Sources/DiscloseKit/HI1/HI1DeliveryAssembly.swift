import Foundation
import Primitives
import Sodium

/// Reassembles a delivery in parts (`disclose import-delivery`): reads each part message
/// once, checks it against its own checksum and against the other parts, writes its bytes
/// at its place in a temporary file beside the output, and only when every part is there
/// exactly once, in an unbroken chain, and the whole's SHA-512 matches, links the file
/// into place (never overwriting). Memory holds one part at a time.
///
/// What the checks cover: transport damage, a lost, repeated or shuffled part, a part of
/// another delivery. What they do not: an attacker who rewrites every part can rewrite
/// every digest too — the bundle's own minisign signature (`disclose verify` on the
/// unpacked tar) is what authenticates the data.
public enum HI1DeliveryAssembly {
    /// The named reasons a delivery is refused.
    public enum Problem: String, Sendable {
        /// A sequence number of 1…total is absent.
        case missing
        /// A sequence number occurs twice.
        case duplicated
        /// A part is not where its place in the chain of part digests says.
        case reordered
        /// A part's bytes do not match its checksum or size, or the whole does not match.
        case altered
        /// A part belongs to another delivery (DeliveryID, total or whole digest differ).
        case mixed
    }

    /// What was reassembled.
    public struct Assembled: Sendable {
        /// The delivery (bundle) id.
        public var deliveryID: String
        /// Number of parts.
        public var parts: Int
        /// Bytes written.
        public var bytes: Int
        /// Hex SHA-512 of the reassembled file.
        public var sha512: String
    }

    /// The refusal for `problem`: exit status 1, the reason named first.
    static func refuse(_ problem: Problem, _ detail: String) -> Refusal {
        Refusal("delivery refused (\(problem.rawValue)): \(detail)", hint: "ask the sender to deliver the parts again; nothing was written")
    }

    /// Reassembles the parts at `paths` (any order) into `out`.
    public static func assemble(paths: [String], out: String) throws -> Assembled {
        guard !paths.isEmpty else { throw InputError(file: out, message: "no part messages given") }
        if FileManager.default.fileExists(atPath: out) || AtomicFile.isSymlink(out) {
            throw InputError(file: out, message: "already exists; refusing to overwrite")
        }
        let (dir, name) = try AtomicFile.fileName(out)
        AtomicFile.sweepStale(dir: dir, name: name)
        // Mode 0644 as narrowed by the umask; written at offsets, read back, then linked.
        let writer = try AtomicWriter(directory: dir, name: name, path: out, mode: 0o644, exactMode: false)
        let fd = writer.fileDescriptor

        var first: HI1DeliveryPart?
        var digests: [Int: String] = [:], previous: [Int: String?] = [:], files: [Int: String] = [:]
        for path in paths {
            let part = try InputError.fromHI1 { try HI1DeliveryPart.read(try FileBytes.read(path: path, limit: StrictXML.Limits().maxBytes), file: path) }
            let m = part.manifest
            if let f = first {
                guard part.deliveryID == f.deliveryID, m.total == f.manifest.total, m.partSize == f.manifest.partSize,
                      m.wholeBytes == f.manifest.wholeBytes, m.wholeSHA512 == f.manifest.wholeSHA512 else {
                    throw refuse(.mixed, "\(path) belongs to another delivery than \(f.file) (DeliveryID, total or whole SHA-512 differ)")
                }
            } else {
                first = part
                guard (HI1DeliveryParts.minPartSize...HI1DeliveryParts.maxPartSize).contains(m.partSize) else {
                    throw refuse(.altered, "\(path) announces parts of \(m.partSize) bytes; parts are \(HI1DeliveryParts.minPartSize) to \(HI1DeliveryParts.maxPartSize) bytes")
                }
            }
            // Fewer files than parts: the set cannot be complete, so nothing is written
            // (no sparse file at a far offset); the parts are still checked, and named below.
            let writing = m.total <= paths.count
            let digest = Hex.encode(SHA512.hash(part.data))
            guard digest == part.checksum else { throw refuse(.altered, "part \(part.sequence) (\(path)): its data does not match its SHA-512 checksum") }
            guard part.sequence <= m.total else { throw refuse(.altered, "part \(part.sequence) (\(path)): the delivery has only \(m.total) parts") }
            if let other = files[part.sequence] {
                throw refuse(.duplicated, "part \(part.sequence) of \(m.total) is given twice (\(other) and \(path))")
            }
            guard part.last == (part.sequence == m.total) else {
                throw refuse(.altered, "part \(part.sequence) (\(path)): LastSequence is \(part.last) but it is part \(part.sequence) of \(m.total)")
            }
            let expected = part.sequence < m.total ? m.partSize : m.wholeBytes - (m.total - 1) * m.partSize
            guard part.data.count == expected else {
                throw refuse(.altered, "part \(part.sequence) (\(path)) holds \(part.data.count) bytes; its place holds \(expected)")
            }
            let offset = off_t((part.sequence - 1) * m.partSize)
            if writing { try part.data.withUnsafeBytes { buf in
                var put = 0
                while put < buf.count {
                    let n = pwrite(fd, buf.baseAddress! + put, buf.count - put, offset + off_t(put))
                    if n < 0 { if errno == EINTR { continue }; throw EnvironmentError.failure(errno: errno, file: out, operation: "write failed") }
                    put += n
                }
            } }
            digests[part.sequence] = digest; previous[part.sequence] = m.previousSHA512; files[part.sequence] = path
        }
        let f = first!, total = f.manifest.total
        // At most ten named, found in at most paths.count + 10 steps whatever `total` claims.
        let absent = Array((1...total).lazy.filter { files[$0] == nil }.prefix(10))
        guard absent.isEmpty else {
            let more = total - files.count - absent.count
            throw refuse(.missing, "part(s) \(absent.map(String.init).joined(separator: ", "))\(more > 0 ? " and \(more) more" : "") of \(total) are missing")
        }
        for k in 1...total {
            let want: String? = k == 1 ? nil : digests[k - 1]
            guard previous[k]! == want else {
                throw refuse(.reordered, "part \(k) (\(files[k]!)) does not follow part \(k - 1): the chain of part digests breaks, so the parts are out of order")
            }
        }
        var whole = SHA512(), size = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(size)) }
            if n < 0 { if errno == EINTR { continue }; throw EnvironmentError.failure(errno: errno, file: out, operation: "read back failed") }
            if n == 0 { break }
            buffer.withUnsafeBytes { whole.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            size += n
        }
        let digest = Hex.encode(whole.finalize())
        guard size == f.manifest.wholeBytes, digest == f.manifest.wholeSHA512 else {
            throw refuse(.altered, "the reassembled delivery's SHA-512 differs from the one every part announces")
        }
        try writer.commit(overwrite: false)
        return Assembled(deliveryID: f.deliveryID, parts: total, bytes: size, sha512: digest)
    }
}
