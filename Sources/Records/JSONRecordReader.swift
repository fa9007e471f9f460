import Primitives
import Foundation

/// Splits a JSON Lines file or a JSON array file into records and runs each through the
/// validating `JSONScanner`, streaming: only the buffer of `ByteReader` is held.
///
/// JSON Lines: one object per line; blank lines (only spaces, tabs, CR) are allowed and
/// are not records; anything after a record's closing brace other than spaces, tabs or
/// CR on the same line is an error. JSON array: one top-level array of objects, with any
/// whitespace. A UTF-8 byte order mark at the start of the file is ignored.
final class JSONRecordReader {
    let reader: ByteReader
    let scanner: JSONScanner
    let format: DataFormat

    /// Opens `url`; the scanner decides which paths are captured.
    init(url: URL, format: DataFormat, scanner: JSONScanner, chunkSize: Int = ByteReader.defaultChunk,
         maxRecordBytes: Int = ByteReader.defaultMaxRecord) throws {
        precondition(format != .csv)
        reader = try ByteReader(url: url, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
        self.scanner = scanner
        self.format = format
    }

    /// Reads one segment of `file` for a parallel scan (`SegmentStart` says where and how
    /// it begins); records that start at or after `limit` are left to the next segment.
    init(file: ScanFile, start: SegmentStart, limit: Int64, format: DataFormat, scanner: JSONScanner,
         maxRecordBytes: Int = ByteReader.defaultMaxRecord) {
        precondition(format != .csv)
        reader = ByteReader(file: file, at: start.readFrom, maxRecordBytes: maxRecordBytes)
        self.scanner = scanner
        self.format = format
        self.start = start
        self.limit = limit
        reader.softEnd = limit
    }

    /// Where this reader begins (the whole file unless a parallel scan made it a segment).
    private var start = SegmentStart.fileStart
    /// Records starting at or after this file offset are not read.
    private var limit = Int64.max
    /// What the walk found at its ends, for the parallel scan's split confirmation.
    private(set) var walk = SegmentWalk()

    /// A record handed to the callback: its bytes are `base[start..<end]`, valid until
    /// the callback returns; the scanner's `captures` describe it.
    struct Record {
        let base: UnsafePointer<UInt8>
        let start: Int
        let end: Int
    }

    /// Calls `body` for every record, in file order. Throws `InputError` for the first
    /// malformed record (with line and column), a truncated file, or a record over the
    /// size limit.
    func forEachRecord(_ body: (Record) throws -> Void) throws {
        try walkRecords(body)
        // Every way out but a limit stop is the end of the file.
        if walk.stop == nil { walk.stop = reader.bufferFileOffset + Int64(reader.count) }
        if walk.firstStart == nil { walk.firstStart = walk.stop }
    }

    private func walkRecords(_ body: (Record) throws -> Void) throws {
        var pos = 0
        switch start {
        case .fileStart:
            try reader.refill(keepingFrom: 0)
            // Byte order mark.
            while reader.count < 3 && !reader.atEOF { try reader.refill(keepingFrom: 0) }
            if reader.count >= 3, reader.buffer[0] == 0xEF, reader.buffer[1] == 0xBB, reader.buffer[2] == 0xBF { pos = 3 }
        case .boundary:
            try reader.refill(keepingFrom: 0)
        case .speculative:
            pos = try reader.skipPastLineFeed()
        }

        let isArray = format == .json
        precondition(!isArray || start == .fileStart, "a JSON array file is read as one segment")
        if isArray {
            pos = try skipWhitespace(from: pos, newlines: true)
            guard pos < reader.count else {
                throw reader.error(atBufferOffset: pos, message: "empty file: a JSON array dataset must contain an array")
            }
            guard reader.buffer[pos] == UInt8(ascii: "[") else {
                throw reader.error(atBufferOffset: pos, message: "a JSON dataset must be one array of objects")
            }
            pos = try skipWhitespace(from: pos + 1, newlines: true)
            if pos < reader.count && reader.buffer[pos] == UInt8(ascii: "]") {
                return try expectEnd(from: pos + 1)
            }
        }
        while true {
            if !isArray {
                if !(pos < reader.count && reader.buffer[pos] == UInt8(ascii: "{")) {
                    pos = try skipWhitespace(from: pos, newlines: true)
                }
                // A record boundary: the only place a segment may begin or end.
                let here = reader.bufferFileOffset + Int64(pos)
                if walk.firstStart == nil { walk.firstStart = here }
                if pos >= reader.count || here >= limit { walk.stop = here; return }
            } else if pos >= reader.count {
                throw reader.error(atBufferOffset: pos, message: "the file ends before the array is closed")
            }
            var end: Int
            scanning: while true {
                do {
                    end = try scanner.scanObject(UnsafePointer(reader.buffer), from: pos, to: reader.count)
                    break scanning
                } catch let e {
                    if e.truncated && !reader.atEOF {
                        let shift = try reader.refill(keepingFrom: pos)
                        pos -= shift
                        continue scanning
                    }
                    if e.truncated {
                        throw reader.error(atBufferOffset: reader.count, message: "the file ends inside a record (truncated file?)")
                    }
                    throw reader.error(atBufferOffset: e.offset, message: e.message)
                }
            }
            try body(Record(base: UnsafePointer(reader.buffer), start: pos, end: end))
            pos = end
            if isArray {
                pos = try skipWhitespace(from: pos, newlines: true)
                guard pos < reader.count else {
                    throw reader.error(atBufferOffset: pos, message: "the file ends before the array is closed")
                }
                let c = reader.buffer[pos]
                if c == UInt8(ascii: ",") {
                    pos = try skipWhitespace(from: pos + 1, newlines: true)
                    continue
                }
                if c == UInt8(ascii: "]") { return try expectEnd(from: pos + 1) }
                throw reader.error(atBufferOffset: pos, message: "expected ',' or ']' after a record in the array")
            } else {
                // Usually the line ends right after the record.
                if pos < reader.count && reader.buffer[pos] == 0x0A { pos += 1; continue }
                pos = try skipWhitespace(from: pos, newlines: false)
                if pos >= reader.count { return }
                if reader.buffer[pos] == 0x0A { pos += 1; continue }
                throw reader.error(atBufferOffset: pos, message: "unexpected data after the record on the same line")
            }
        }
    }

    /// Skips spaces, tabs, CR (and LF when `newlines`), refilling as needed; returns the
    /// offset of the next other byte, or `reader.count` at end of file.
    private func skipWhitespace(from start: Int, newlines: Bool) throws -> Int {
        var p = start
        while true {
            while p < reader.count {
                let c = reader.buffer[p]
                if c == 0x20 || c == 0x09 || c == 0x0D || (newlines && c == 0x0A) { p += 1 } else { return p }
            }
            if reader.atEOF { return p }
            p -= try reader.refill(keepingFrom: p)
            if reader.count == p && reader.atEOF { return p }
        }
    }

    /// After the closing bracket of an array file only whitespace may follow.
    private func expectEnd(from start: Int) throws {
        let p = try skipWhitespace(from: start, newlines: true)
        if p < reader.count {
            throw reader.error(atBufferOffset: p, message: "unexpected data after the closing ']' of the array")
        }
    }

    /// An error about the record at buffer offset `offset` (e.g. a field of the wrong type).
    func error(atBufferOffset offset: Int, message: String, field: String? = nil) -> InputError {
        reader.error(atBufferOffset: offset, message: message, field: field)
    }
}
