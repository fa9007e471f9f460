/// Where a reader of one segment of a file begins.
///
/// A parallel scan cuts a large file at nominal offsets; only the first segment starts at
/// the file's start. The others start *speculatively*: just after the first line feed at
/// or after the byte before the cut, which is a record boundary unless that line feed lies
/// inside a record (a JSON object spread over lines, a quoted CSV field holding a line
/// break). `SegmentWalk` reports what the reader found so the coordinator can confirm it.
enum SegmentStart: Equatable, Sendable {
    /// Offset 0: a byte order mark may follow (and, for CSV, the header).
    case fileStart
    /// A confirmed record boundary at this file offset (between records, as after a line end).
    case boundary(Int64)
    /// A nominal cut at this file offset (> 0): the reader skips past the first line feed
    /// at or after offset - 1 before looking for a record.
    case speculative(Int64)

    /// The file offset the reader starts reading at.
    var readFrom: Int64 {
        switch self {
        case .fileStart: return 0
        case .boundary(let o): return o
        case .speculative(let o): return o - 1
        }
    }
}

/// What a segment's reader found at its two ends, as file offsets of record boundaries
/// (the first byte of the next record after any blank space, or the end of the file).
///
/// A split between segments k and k+1 is confirmed iff segment k's `stop` equals segment
/// k+1's `firstStart`: segment k walked record by record exactly as a sequential reader
/// would and reached the first record starting at or after the cut; if segment k+1 had
/// begun inside a record, its first non-blank byte would lie inside that record, before
/// the record's end and so before segment k's `stop`.
struct SegmentWalk: Equatable, Sendable {
    /// The first record boundary the reader reached (set before any record is read).
    var firstStart: Int64?
    /// The first record boundary at or after the segment's limit (or end of file) where
    /// the reader stopped; nil when it did not finish.
    var stop: Int64?
}
