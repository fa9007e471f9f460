import Primitives
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file in large chunks with read(2) into one reusable buffer, so that scanners
/// work on raw bytes and memory stays bounded whatever the file size.
///
/// A record that straddles the end of the buffer is kept: `refill(keepingFrom:)` moves
/// the unfinished part to the front and reads more behind it. The buffer grows only when
/// a single record is larger than it, and never beyond `maxRecordBytes`.
final class ByteReader {
    /// Default chunk size: large enough to amortize system calls, small enough to stay in cache-friendly territory.
    static let defaultChunk = 4 << 20
    /// Default cap on one record.
    static let defaultMaxRecord = 64 << 20

    /// The path as the user gave it, for messages.
    let displayPath: String
    let url: URL
    private let fd: Int32
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Valid bytes in `buffer`.
    private(set) var count = 0
    /// File offset of `buffer[0]`.
    private(set) var bufferFileOffset: Int64 = 0
    /// True once read(2) returned end of file.
    private(set) var atEOF = false
    let maxRecordBytes: Int

    /// Opens `url` for reading.
    init(url: URL, chunkSize: Int = ByteReader.defaultChunk, maxRecordBytes: Int = ByteReader.defaultMaxRecord) throws {
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
        capacity = max(chunkSize, 16)
        buffer = .allocate(capacity: capacity)
        self.maxRecordBytes = maxRecordBytes
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    /// Drops the bytes before `keep`, moves the rest to the front and reads more after
    /// them. Returns how far the kept bytes moved (callers subtract it from their
    /// offsets). Returns 0 and reads nothing at end of file. Throws when the kept part is
    /// already `maxRecordBytes` long (a record that is too large).
    @discardableResult
    func refill(keepingFrom keep: Int) throws -> Int {
        let kept = count - keep
        if kept >= maxRecordBytes {
            throw error(atBufferOffset: keep, message: "record longer than \(maxRecordBytes >> 20) MiB",
                        hint: "split the record or raise the record size limit")
        }
        if keep > 0 {
            if kept > 0 { memmove(buffer, buffer + keep, kept) }
            count = kept
            bufferFileOffset += Int64(keep)
        }
        if count == capacity {
            let newCapacity = min(capacity * 2, maxRecordBytes + 1)
            let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            nb.update(from: buffer, count: count)
            buffer.deallocate()
            buffer = nb
            capacity = newCapacity
        }
        while !atEOF {
            let n = read(fd, buffer + count, capacity - count)
            if n > 0 { count += n; WorkProgress.shared.advance(n); break }
            if n == 0 { atEOF = true; break }
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            throw InputError(file: displayPath, message: "cannot read the file (\(reason))")
        }
        return keep
    }

    /// An error located at `offset` in the current buffer (line and column are found by
    /// re-reading the file up to that point — errors are rare, so the hot path never
    /// counts lines).
    func error(atBufferOffset offset: Int, message: String, field: String? = nil, hint: String? = nil) -> InputError {
        let absolute = bufferFileOffset + Int64(offset)
        let (line, column) = ByteReader.locate(absolute, in: url)
        return InputError(file: displayPath, line: line, column: column, field: field, message: message, hint: hint)
    }

    /// 1-based line and column (bytes) of file offset `target`.
    static func locate(_ target: Int64, in url: URL) -> (Int, Int) {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { return (0, 0) }
        defer { close(fd) }
        let size = 1 << 20
        let buf = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer { buf.deallocate() }
        var offset: Int64 = 0
        var line = 1
        var lineStart: Int64 = 0
        while offset < target {
            let want = Int(min(Int64(size), target - offset))
            let n = read(fd, buf, want)
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
