import Foundation
import Primitives

/// A pull-style input: fills the buffer and returns how many bytes it wrote, 0 at EOF.
protocol ByteSource: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Adapts a caller's read closure.
final class ClosureSource: ByteSource {
    private let body: (UnsafeMutableRawBufferPointer) throws -> Int
    init(_ body: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) { self.body = body }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try body(buffer)
        guard n >= 0 && n <= buffer.count else { throw AgeError.io("read closure returned \(n) for a \(buffer.count)-byte buffer") }
        return n
    }
}

/// Reads a file descriptor with `read(2)`, retrying on EINTR.
final class FileDescriptorSource: ByteSource {
    private let fd: Int32
    init(fd: Int32) { self.fd = fd }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            let n = Foundation.read(fd, buffer.baseAddress!, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw AgeError.io("read failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// A buffer in front of another source: peeking, line reading without allocation, and
/// bulk reads that drain the buffer and then go straight to the upstream source.
final class BufferedSource: ByteSource {
    private let upstream: ByteSource
    private let ledger: BufferLedger
    private let buffer: UnsafeMutableRawPointer
    let capacity: Int
    private var start = 0
    private var end = 0
    private var sawEOF = false

    init(_ upstream: ByteSource, capacity: Int, ledger: BufferLedger) {
        self.upstream = upstream
        self.capacity = capacity
        self.ledger = ledger
        buffer = ledger.allocate(capacity)
    }

    deinit { ledger.release(buffer, count: capacity) }

    /// Moves buffered bytes to the front and reads once more; false at EOF.
    private func fillMore() throws -> Bool {
        if sawEOF { return false }
        if start > 0 {
            if end > start { memmove(buffer, buffer + start, end - start) }
            end -= start
            start = 0
        }
        guard end < capacity else { return true }
        let n = try upstream.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if n == 0 { sawEOF = true; return false }
        end += n
        return true
    }

    /// Up to `count` (≤ capacity) bytes from the current position without consuming them;
    /// fewer only at EOF.
    func peek(_ count: Int) throws -> UnsafeRawBufferPointer {
        while end - start < count, try fillMore() {}
        return UnsafeRawBufferPointer(start: buffer + start, count: min(count, end - start))
    }

    /// A line from the input.
    struct Line {
        /// The bytes before the LF (a view into the buffer, valid until the next call).
        var bytes: UnsafeRawBufferPointer
        /// False when the input ended without a LF.
        var terminated: Bool
        /// True when no LF came within `capacity` bytes; `bytes` is then a prefix.
        var overlong: Bool
    }

    /// The next line, or nil at EOF. The LF is consumed but not returned.
    func readLine() throws -> Line? {
        var scanned = 0
        while true {
            let avail = end - start
            if avail > scanned, let nl = memchr(buffer + start + scanned, 0x0A, avail - scanned) {
                let length = UnsafeMutableRawPointer(nl) - (buffer + start)
                let line = Line(bytes: UnsafeRawBufferPointer(start: buffer + start, count: length), terminated: true, overlong: false)
                start += length + 1
                return line
            }
            scanned = avail
            if avail == capacity {
                return Line(bytes: UnsafeRawBufferPointer(start: buffer + start, count: avail), terminated: false, overlong: true)
            }
            if try !fillMore() {
                let rest = end - start
                if rest == 0 { return nil }
                let line = Line(bytes: UnsafeRawBufferPointer(start: buffer + start, count: rest), terminated: false, overlong: false)
                start = end
                return line
            }
        }
    }

    /// Reads whatever is available: buffered bytes first, then straight from upstream.
    func read(into out: UnsafeMutableRawBufferPointer) throws -> Int {
        guard out.count > 0 else { return 0 }
        if end > start {
            let n = min(out.count, end - start)
            out.baseAddress!.copyMemory(from: buffer + start, byteCount: n)
            start += n
            return n
        }
        if sawEOF { return 0 }
        let n = try upstream.read(into: out)
        if n == 0 { sawEOF = true }
        return n
    }

    /// Reads until `out` is full or EOF; returns the count.
    func readFully(into out: UnsafeMutableRawBufferPointer) throws -> Int {
        var total = 0
        while total < out.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(start: out.baseAddress! + total, count: out.count - total))
            if n == 0 { break }
            total += n
        }
        return total
    }
}

/// Output helpers shared by the file conveniences.
enum FileOutput {
    /// Writes all of `bytes` to `fd`, retrying short writes and EINTR.
    static func writeAll(fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(AgeError) {
        let failure = WriteAll.write(fd, bytes)
        if failure != 0 { throw .io("write \(path): \(String(cString: strerror(failure)))") }
    }
}
