import Primitives
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One open dataset file, shared by every reader of it: the parallel scan's workers read
/// their segments of one file through this one descriptor with pread(2), so all of them
/// see the same inode even if the path is replaced while they run, and no byte position
/// is shared between threads.
///
/// `@unchecked Sendable`: every stored property is immutable after `init`, and pread(2)
/// on one descriptor from several threads is safe (it takes the offset as an argument).
final class ScanFile: @unchecked Sendable {
    /// The path as the user gave it, for messages.
    let displayPath: String
    let url: URL
    let fd: Int32
    /// The size at open time.
    let size: Int64

    /// Opens `url` for reading; only regular files are accepted.
    init(url: URL) throws {
        self.url = url
        displayPath = url.path
        // O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever. Only
        // regular files are read (a FIFO, socket or device cannot be read twice, so plan
        // and export could not agree on it); the flag is cleared again before reading.
        let fd = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw InputError(file: url.path, message: "cannot open the file (\(reason))", hint: "check the path in the data map")
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            let kind: String
            switch st.st_mode & S_IFMT {
            case S_IFDIR: kind = "a directory"
            case S_IFIFO: kind = "a FIFO (named pipe)"
            case S_IFSOCK: kind = "a socket"
            case S_IFCHR, S_IFBLK: kind = "a device"
            default: kind = "a special file"
            }
            close(fd)
            throw InputError(file: url.path, message: "cannot read the file: it is \(kind), not a regular file",
                             hint: "datasets must be regular files; copy the data to a file first")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        self.fd = fd
        size = Int64(st.st_size)
    }

    deinit { close(fd) }

    /// 1-based line and column (bytes) of file offset `target`, counted by re-reading
    /// this descriptor from the start (errors are rare: the hot path never counts lines).
    func locate(_ target: Int64) -> (Int, Int) {
        let size = 1 << 20
        let buf = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer { buf.deallocate() }
        var offset: Int64 = 0
        var line = 1
        var lineStart: Int64 = 0
        while offset < target {
            let want = Int(min(Int64(size), target - offset))
            let n = pread(fd, buf, want, off_t(offset))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            for i in 0..<n where buf[i] == 0x0A {
                line += 1
                lineStart = offset + Int64(i) + 1
            }
            offset += Int64(n)
        }
        return (line, Int(target - lineStart) + 1)
    }
}
