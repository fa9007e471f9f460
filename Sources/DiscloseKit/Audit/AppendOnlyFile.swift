import Foundation
import Primitives

/// A new file written front to back by one thread: the write stage of a
/// `HashingFileWriter`. Closed when the last reference goes away.
///
/// Every `syncInterval` bytes the thread flushes what it wrote so far (`fdatasync`).
/// Without that a large payload sat in the page cache until the final fsync, which then
/// waited ~0.3 s per GB for the device with every core idle; flushed as it goes, on this
/// thread, which otherwise only waits for the next buffer, the device work overlaps the
/// hashing and encryption, and the final `sync` has little left to do. (Writing with
/// `O_DIRECT` instead saved little CPU and left the bundle out of the page cache, so a
/// `verify` or `--tar` right after the export read it all back from the device.)
final class AppendOnlyFile: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private var unsynced = 0

    /// Bytes written between two flushes.
    static let syncInterval = 16 << 20

    /// Creates `path` exclusively with `mode`.
    init(path: String, mode: mode_t) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw EnvironmentError.failure(errno: errno, file: path, operation: "cannot create") }
    }

    /// Takes over `fd`, a new file opened for writing (e.g. created through a directory
    /// descriptor); `path` names it in errors.
    init(fileDescriptor fd: Int32, path: String) {
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// Writes all of `bytes` at the end of the file, retrying short writes and EINTR, and
    /// flushes once `syncInterval` bytes have accumulated.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        let failure = WriteAll.write(fd, bytes)
        if failure != 0 {
            throw EnvironmentError.failure(errno: failure, file: path, operation: "write failed")
        }
        unsynced += bytes.count
        if unsynced >= Self.syncInterval {
            unsynced = 0
            guard fdatasync(fd) == 0 else { throw EnvironmentError.failure(errno: errno, file: path, operation: "cannot flush") }
        }
    }

    /// Flushes the file (data and size) to stable storage.
    func sync() throws {
        guard fsync(fd) == 0 else { throw EnvironmentError.failure(errno: errno, file: path, operation: "cannot flush") }
    }
}
