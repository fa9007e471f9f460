import Primitives
import Foundation

/// One CSV field as found in the buffer: `start..<end` are its raw bytes, including the
/// surrounding quotes when `quoted` (so a disclosed field is copied byte for byte).
struct CSVField {
    var start: Int
    var end: Int
    var quoted: Bool
    /// The quoted content contains `""` escapes.
    var hasEscapedQuote: Bool

    /// The decoded text: quotes removed and `""` turned into `"`.
    func decoded(_ base: UnsafePointer<UInt8>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        if !quoted {
            out.append(contentsOf: UnsafeBufferPointer(start: base + start, count: end - start))
            return
        }
        var p = start + 1
        let e = end - 1
        if !hasEscapedQuote {
            out.append(contentsOf: UnsafeBufferPointer(start: base + p, count: e - p))
            return
        }
        while p < e {
            out.append(base[p])
            p += base[p] == UInt8(ascii: "\"") ? 2 : 1
        }
    }
}

/// Reads an RFC 4180 CSV file record by record, streaming.
///
/// Accepted: fields separated by commas, records ended by CRLF or LF (the last one may
/// lack it), fields in double quotes containing commas, quotes doubled as `""`, and line
/// breaks, a UTF-8 byte order mark at the start. Rejected with the file and line: an
/// unterminated quoted field, a quote inside an unquoted field, text after a closing
/// quote, a lone CR, invalid UTF-8, and a row whose field count differs from the
/// header's ("ragged row"). Empty lines are skipped (they hold no values).
final class CSVReader {
    let reader: ByteReader
    /// Header names, decoded.
    private(set) var header: [String] = []
    /// Raw bytes of each header field (as in the file, quotes included).
    private(set) var headerRaw: [[UInt8]] = []
    /// Fields of the current record (valid inside the `forEachRecord` callback).
    private(set) var fields: [CSVField] = []
    private var pos = 0
    /// Records starting at or after this file offset are left to the next segment.
    private var limit = Int64.max
    /// What the walk found at its ends, for the parallel scan's split confirmation.
    private(set) var walk = SegmentWalk()
    /// File offset just after the header row (valid after `readHeader`).
    var dataStart: Int64 { reader.bufferFileOffset + Int64(pos) }

    /// Opens `url`.
    init(url: URL, chunkSize: Int = ByteReader.defaultChunk, maxRecordBytes: Int = ByteReader.defaultMaxRecord) throws {
        reader = try ByteReader(url: url, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
    }

    /// Reads the header row of `file` only (a parallel scan's coordinator does this once per file).
    init(headerOf file: ScanFile) {
        reader = ByteReader(file: file, at: 0, chunkSize: 64 << 10)
    }

    /// Reads one segment of `file`'s records for a parallel scan, with the header already
    /// read (`header`); records starting at or after `limit` are left to the next segment.
    init(file: ScanFile, start: SegmentStart, limit: Int64, header: [String], maxRecordBytes: Int = ByteReader.defaultMaxRecord) throws {
        precondition(start != .fileStart, "a segment starts after the header")
        reader = ByteReader(file: file, at: start.readFrom, maxRecordBytes: maxRecordBytes)
        self.header = header
        self.limit = limit
        reader.softEnd = limit
        if case .speculative = start { pos = try reader.skipPastLineFeed() }
    }

    /// Reads the header row. Returns false for an empty file (no header, no records).
    func readHeader() throws -> Bool {
        try reader.refill(keepingFrom: 0)
        while reader.count < 3 && !reader.atEOF { try reader.refill(keepingFrom: 0) }
        if reader.count >= 3, reader.buffer[0] == 0xEF, reader.buffer[1] == 0xBB, reader.buffer[2] == 0xBF { pos = 3 }
        guard try nextRecord() else { return false }
        var seen = Set<String>()
        var scratch: [UInt8] = []
        for f in fields {
            f.decoded(reader.buffer, into: &scratch)
            let name = String(decoding: scratch, as: UTF8.self)
            guard seen.insert(name).inserted else {
                throw reader.error(atBufferOffset: f.start, message: "duplicate column name in the header",
                                   field: name, hint: "column names must be unique")
            }
            header.append(name)
            headerRaw.append(Array(UnsafeBufferPointer(start: reader.buffer + f.start, count: f.end - f.start)))
        }
        return true
    }

    /// Calls `body` with the buffer for every data record; `fields` describes it.
    func forEachRecord(_ body: (UnsafePointer<UInt8>) throws -> Void) throws {
        while try nextRecord() {
            guard fields.count == header.count else {
                throw reader.error(atBufferOffset: fields[0].start,
                                   message: "ragged row: \(fields.count) fields where the header has \(header.count)")
            }
            try body(UnsafePointer(reader.buffer))
        }
    }

    /// An error at buffer offset `offset`.
    func error(atBufferOffset offset: Int, message: String, field: String? = nil) -> InputError {
        reader.error(atBufferOffset: offset, message: message, field: field)
    }

    private enum Parse: Error { case needMore }

    /// Parses the next non-empty record into `fields`; false at end of file.
    private func nextRecord() throws -> Bool {
        while true {
            // Skip empty lines.
            while true {
                if pos >= reader.count {
                    if reader.atEOF {
                        let here = reader.bufferFileOffset + Int64(pos)
                        if walk.firstStart == nil { walk.firstStart = here }
                        walk.stop = here
                        return false
                    }
                    pos -= try reader.refill(keepingFrom: pos)
                    continue
                }
                let c = reader.buffer[pos]
                if c == 0x0A { pos += 1; continue }
                if c == 0x0D {
                    if pos + 1 >= reader.count && !reader.atEOF { pos -= try reader.refill(keepingFrom: pos); continue }
                    if pos + 1 < reader.count && reader.buffer[pos + 1] == 0x0A { pos += 2; continue }
                    throw reader.error(atBufferOffset: pos, message: "carriage return without line feed outside quotes")
                }
                break
            }
            // A record boundary: the only place a segment may begin or end.
            let here = reader.bufferFileOffset + Int64(pos)
            if walk.firstStart == nil { walk.firstStart = here }
            if here >= limit { walk.stop = here; return false }
            do {
                pos = try parseRecord(from: pos)
                return true
            } catch Parse.needMore {
                if reader.atEOF { fatalError("CSV parser asked for more input at end of file") }
                pos -= try reader.refill(keepingFrom: pos)
            }
        }
    }

    /// Parses one record starting at `start`; returns the offset after its line end.
    private func parseRecord(from start: Int) throws -> Int {
        // A local array (swapped in and out) keeps appends free of exclusivity checks.
        var fields: [CSVField] = []
        swap(&fields, &self.fields)
        defer { swap(&fields, &self.fields) }
        fields.removeAll(keepingCapacity: true)
        let base = reader.buffer
        let end = reader.count
        let eof = reader.atEOF
        let raw = UnsafeRawPointer(base)
        var p = start
        while true {
            let fs = p
            if p < end && base[p] == UInt8(ascii: "\"") {
                p += 1
                var escaped = false
                while true {
                    // Eight bytes at a time to the next quote.
                    while p + 8 <= end {
                        let w = raw.loadUnaligned(fromByteOffset: p, as: UInt64.self)
                        let f = CSVReader.hasByte(w, 0x22)
                        if f != 0 { p += f.trailingZeroBitCount >> 3; break }
                        p += 8
                    }
                    guard p < end else {
                        if eof {
                            throw reader.error(atBufferOffset: fs, message: "unterminated quoted field",
                                               hint: "a field that starts with a quote must end with one")
                        }
                        throw Parse.needMore
                    }
                    if base[p] == UInt8(ascii: "\"") {
                        if p + 1 < end && base[p + 1] == UInt8(ascii: "\"") { escaped = true; p += 2; continue }
                        if p + 1 >= end && !eof { throw Parse.needMore }
                        p += 1
                        break
                    }
                    p += 1
                }
                fields.append(CSVField(start: fs, end: p, quoted: true, hasEscapedQuote: escaped))
            } else {
                while p + 8 <= end {
                    let w = raw.loadUnaligned(fromByteOffset: p, as: UInt64.self)
                    let f = CSVReader.hasByte(w, 0x2C) | CSVReader.hasByte(w, 0x0A) | CSVReader.hasByte(w, 0x0D) | CSVReader.hasByte(w, 0x22)
                    if f != 0 { p += f.trailingZeroBitCount >> 3; break }
                    p += 8
                }
                while p < end {
                    let c = base[p]
                    if c == UInt8(ascii: ",") || c == 0x0A || c == 0x0D { break }
                    if c == UInt8(ascii: "\"") {
                        throw reader.error(atBufferOffset: p, message: "quote inside an unquoted field",
                                           hint: "quote the whole field and double the inner quotes")
                    }
                    p += 1
                }
                if p >= end && !eof { throw Parse.needMore }
                fields.append(CSVField(start: fs, end: p, quoted: false, hasEscapedQuote: false))
            }
            if let bad = UTF8Validation.firstInvalid(base, fs, p) {
                throw reader.error(atBufferOffset: bad, message: "invalid UTF-8")
            }
            // After a field: ',', line end or end of file.
            if p >= end {
                if !eof { throw Parse.needMore }
                return p
            }
            let c = base[p]
            if c == UInt8(ascii: ",") { p += 1; continue }
            if c == 0x0A { return p + 1 }
            if c == 0x0D {
                if p + 1 >= end {
                    if !eof { throw Parse.needMore }
                } else if base[p + 1] == 0x0A {
                    return p + 2
                }
                throw reader.error(atBufferOffset: p, message: "carriage return without line feed outside quotes")
            }
            throw reader.error(atBufferOffset: p, message: "unexpected text after a closing quote",
                               hint: "a quoted field must be followed by a comma or the end of the line")
        }
    }

    /// High bit set in each byte of `w` equal to `b` (exact for the lowest such byte).
    @inline(__always)
    static func hasByte(_ w: UInt64, _ b: UInt8) -> UInt64 {
        let x = w ^ (0x0101_0101_0101_0101 &* UInt64(b))
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }
}
