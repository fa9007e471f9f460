import Foundation
import Sodium

/// Writes a new file in large buffered writes while computing the SHA-512 and size of
/// what it wrote (the BagIt manifest entry), so nothing is read back.
final class HashingFileWriter {
    let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var hash = SHA512()
    private(set) var bytesWritten = 0
    private static let bufferSize = 1 << 20

    /// Creates `path` exclusively with `mode`.
    init(path: String, mode: mode_t = 0o644) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw InputError(file: path, message: "cannot create: \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { if fd >= 0 { close(fd) } }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        hash.update(bytes)
        bytesWritten += bytes.count
        if buffer.count + bytes.count > Self.bufferSize { try flush() }
        if bytes.count >= Self.bufferSize { try writeAll(bytes) } else { buffer.append(contentsOf: bytes) }
    }

    func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    private func flush() throws {
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var off = 0
        while off < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + off, bytes.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(file: path, message: "write failed: \(String(cString: strerror(errno)))", hint: errno == ENOSPC ? "the disk is full" : nil)
            }
            off += n
        }
    }

    /// Flushes, fsyncs and returns the hex SHA-512 of everything written.
    func finish() throws -> String {
        try flush()
        guard fsync(fd) == 0 else { throw InputError(file: path, message: "cannot flush: \(String(cString: strerror(errno)))") }
        return Hex.encode(hash.finalize())
    }
}
