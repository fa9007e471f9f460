import Foundation

/// What a parallel scan of one dataset needs to know about its format: how to open a
/// file (and read a CSV header), what the coordinator checks when a file's turn comes,
/// and how to walk one segment. Implementations hold only read-only, `Sendable` state;
/// each `walk` builds its own scanner, writer and scratch buffers.
protocol SegmentScanner: Sendable {
    /// A file opened (and, for CSV, its header read) once, shared by its segments' walks.
    associatedtype Prepared: Sendable
    /// The per-segment counters, summed in file order.
    associatedtype Stats: Sendable

    /// Whether files of this format may be cut into segments (JSON arrays may not).
    var splittable: Bool { get }
    /// Opens file `index` of the dataset (any thread; once per file).
    func prepare(file index: Int) throws -> Prepared
    /// Called on the coordinating thread when file `index`'s turn comes, in file order:
    /// may throw the file's own error (header mismatch), returns bytes to emit before its
    /// records (a CSV output header), or nil to skip the file (an empty CSV file).
    func enter(file index: Int, _ prepared: Prepared) throws -> [UInt8]?
    /// Walks the records that start in `start ..< limit`, passing scoped output to `emit`
    /// in order. A speculative walk (`maxRecordBytes` lowered) that meets a longer record
    /// returns with `tooLongAt` set instead of throwing.
    func walk(_ prepared: Prepared, start: SegmentStart, limit: Int64, maxRecordBytes: Int,
              emit: @escaping (_ chunk: [UInt8], _ firstStart: Int64?) throws -> Void) throws -> SegmentOutcome<Stats>
    /// Empty counters.
    func emptyStats() -> Stats
    /// Adds `b` to `a`.
    func merge(_ a: inout Stats, _ b: Stats)
}

/// A segment walk's result: its counters, where it began and stopped, and (for a
/// speculative walk) the offset of a record too long for it.
struct SegmentOutcome<Stats: Sendable>: Sendable {
    var stats: Stats
    var walk: SegmentWalk
    var tooLongAt: Int64?
}
