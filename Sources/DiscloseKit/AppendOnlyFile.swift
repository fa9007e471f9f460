import Foundation

/// A new file written front to back by one thread: the write stage of a
/// `HashingFileWriter`. Closed when the last reference goes away.
final class AppendOnlyFile: @unchecked Sendable {
    let path: String
    private let fd: Int32

    /// Creates `path` exclusively with `mode`.
    init(path: String, mode: mode_t) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw InputError(file: path, message: "cannot create: \(String(cString: strerror(errno)))") }
    }

    deinit { close(fd) }

    /// Writes all of `bytes` at the end of the file, retrying short writes and EINTR.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var off = 0
        while off < bytes.count {
            let n = Foundation.write(fd, base + off, bytes.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(file: path, message: "write failed: \(String(cString: strerror(errno)))", hint: errno == ENOSPC ? "the disk is full" : nil)
            }
            off += n
        }
    }

    /// Flushes the file to stable storage.
    func sync() throws {
        guard fsync(fd) == 0 else { throw InputError(file: path, message: "cannot flush: \(String(cString: strerror(errno)))") }
    }
}
