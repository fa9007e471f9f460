import Foundation

/// A new file written front to back by one thread: the write stage of a
/// `HashingFileWriter`. Closed when the last reference goes away.
///
/// On Linux, whole page-aligned chunks at page-aligned offsets are written with
/// `O_DIRECT`. A bundle payload is written once and never read back by the exporter;
/// copying it through the page cache cost, on the 2-core development machine, from a
/// tenth to all of the CPU time of its SHA-512 (allocating page-cache pages is slow in a
/// VM), and the final fsync then waited ~0.3 s per GB with every core idle. Direct
/// writes go to the device as they come, from this thread, which otherwise only waits.
/// Anything else — a short last chunk, a file system or device that refuses `O_DIRECT` —
/// goes through the page cache as usual; `sync` makes both durable.
final class AppendOnlyFile: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private var offset = 0
    private var direct = false
    private var directRefused = AppendOnlyFile.directFlag == 0

    /// Creates `path` exclusively with `mode`.
    init(path: String, mode: mode_t) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw InputError(file: path, message: "cannot create: \(String(cString: strerror(errno)))") }
    }

    deinit { close(fd) }

    /// Alignment of address, length and offset that direct writes need (a page covers
    /// every common logical block size).
    static let directAlignment = 4096

    #if os(Linux) && (arch(x86_64) || arch(i386))
    static let directFlag: Int32 = 0o40000
    #elseif os(Linux) && (arch(arm64) || arch(arm))
    static let directFlag: Int32 = 0o200000
    #else
    static let directFlag: Int32 = 0   // no O_DIRECT here: always through the page cache
    #endif

    /// Writes all of `bytes` at the end of the file, retrying short writes and EINTR.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let a = Self.directAlignment
        setDirect(!directRefused && bytes.count % a == 0 && Int(bitPattern: base) % a == 0 && offset % a == 0)
        var off = 0
        while off < bytes.count {
            let n = Foundation.write(fd, base + off, bytes.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EINVAL && direct {
                    // The file system takes no direct writes after all (or not this
                    // one): the rest goes through the page cache.
                    directRefused = true
                    setDirect(false)
                    continue
                }
                throw InputError(file: path, message: "write failed: \(String(cString: strerror(errno)))", hint: errno == ENOSPC ? "the disk is full" : nil)
            }
            off += n
            offset += n
            if direct && off < bytes.count && off % a != 0 { setDirect(false) }
        }
    }

    /// Turns `O_DIRECT` on or off for the following writes.
    private func setDirect(_ on: Bool) {
        guard on != direct, Self.directFlag != 0 else { return }
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0, fcntl(fd, F_SETFL, on ? flags | Self.directFlag : flags & ~Self.directFlag) == 0 {
            direct = on
        } else if on {
            directRefused = true
        }
    }

    /// Flushes the file (data and size) to stable storage.
    func sync() throws {
        guard fsync(fd) == 0 else { throw InputError(file: path, message: "cannot flush: \(String(cString: strerror(errno)))") }
    }
}
