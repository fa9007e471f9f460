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
    var displayPath: String { file.displayPath }
    var url: URL { file.url }
    /// The open file (shared with the other segments' readers in a parallel scan).
    let file: ScanFile
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Valid bytes in `buffer`.
    private(set) var count = 0
    /// File offset of `buffer[0]`.
    private(set) var bufferFileOffset: Int64 = 0
    /// True once read(2) returned end of file.
    private(set) var atEOF = false
    let maxRecordBytes: Int
    /// File offset of the record that exceeded `maxRecordBytes`, once one did (a parallel
    /// scan's speculative segment then hands that record to a sequential reader).
    private(set) var recordTooLongAt: Int64?
    /// Where the reader's segment ends (a parallel scan's limit): a read that starts
    /// before it stops 64 KiB past it instead of filling the whole buffer, so that
    /// segments overlap little; reads after it are full again (a record running past the
    /// limit is read in full, without small steps).
    var softEnd = Int64.max

    /// Opens `url` for reading.
    convenience init(url: URL, chunkSize: Int = ByteReader.defaultChunk, maxRecordBytes: Int = ByteReader.defaultMaxRecord) throws {
        try self.init(file: ScanFile(url: url), at: 0, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
    }

    /// Reads `file` from byte `start` on (a segment of a parallel scan): offsets in errors
    /// are still the file's, so lines and columns come out true.
    init(file: ScanFile, at start: Int64, chunkSize: Int = ByteReader.defaultChunk, maxRecordBytes: Int = ByteReader.defaultMaxRecord) {
        self.file = file
        bufferFileOffset = start
        capacity = max(chunkSize, 16)
        buffer = .allocate(capacity: capacity)
        self.maxRecordBytes = maxRecordBytes
    }

    deinit {
        buffer.deallocate()
    }

    /// For a speculative segment: drops everything up to and including the first line
    /// feed at or after `buffer[0]`, refilling as needed. Returns the buffer offset just
    /// after it, or `count` at end of file. Memory stays at one buffer however long the line.
    func skipPastLineFeed() throws -> Int {
        try refill(keepingFrom: 0)
        var p = 0
        while true {
            if p < count, let q = memchr(buffer + p, 0x0A, count - p) {
                return buffer.distance(to: q.assumingMemoryBound(to: UInt8.self)) + 1
            }
            if atEOF { return count }
            try refill(keepingFrom: count)
            p = 0
        }
    }

    /// Drops the bytes before `keep`, moves the rest to the front and reads more after
    /// them. Returns how far the kept bytes moved (callers subtract it from their
    /// offsets). Returns 0 and reads nothing at end of file. Throws when the kept part is
    /// already `maxRecordBytes` long (a record that is too large).
    @discardableResult
    func refill(keepingFrom keep: Int) throws -> Int {
        let kept = count - keep
        if kept >= maxRecordBytes {
            recordTooLongAt = bufferFileOffset + Int64(keep)
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
            let at = bufferFileOffset + Int64(count)
            var want = capacity - count
            if softEnd != .max, at < softEnd { want = Int(min(Int64(want), softEnd + 65_536 - at)) }
            let n = pread(file.fd, buffer + count, want, off_t(at))
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
        let (line, column) = file.locate(absolute)
        return InputError(file: displayPath, line: line, column: column, field: field, message: message, hint: hint)
    }
}
