import Primitives
import Foundation

/// Scopes one dataset: streams every file, checks every record for well-formedness,
/// keeps the records of `scope.accounts` inside `scope.window`, applies the field
/// actions and hands the result to `sink` in chunks of about 1 MiB.
///
/// Why this shape: the caller (plan or export) decides what `sink` does with the bytes —
/// hash them for a plan, encrypt them for an export — so both run this one code path and
/// cannot disagree. Output: JSON Lines for JSON Lines and JSON array input (one compact
/// object per line, see `JSONRecordWriter`), CSV for CSV input (header row of the kept
/// columns, then the rows, CRLF line ends). Output is deterministic for the same input.
///
/// Selection: a record is a subject's when its decoded account id (a JSON string after
/// unescaping, or a JSON number's text, or a CSV cell's decoded text) is in
/// `scope.accounts`. When a window and a time field are both given, a subject record is
/// disclosed only if its time parses and lies inside the (inclusive) window; a missing or
/// unparseable time withholds it (`recordsWithUnparseableTime`).
///
/// Throws `InputError` (file, line, column) for the first malformed record anywhere in
/// the dataset — nothing is skipped — and for an account id or time that is an object or
/// array. Anything already passed to `sink` must then be discarded by the caller.
public func scopeDataset(_ scope: DatasetScope, sink: (UnsafeRawBufferPointer) throws -> Void) throws -> DatasetStatistics {
    let pseudonymizer = scope.pseudonymKey.map { Pseudonymizer(key: $0) }
    let accounts = ByteStringSet(scope.accounts)
    var total = 0
    let emit: ([UInt8]) throws -> Void = { chunk in
        try chunk.withUnsafeBytes { try sink($0) }
        total += chunk.count
    }
    var stats: DatasetStatistics
    switch scope.format {
    case .jsonl, .json:
        let scanner = try JSONSegmentScanner(scope, accounts: accounts, pseudonymizer: pseudonymizer)
        stats = try ParallelScan(scanner: scanner, files: scope.files, jobs: scope.jobs, segmentBytes: scope.segmentBytes).run(sink: emit)
    case .csv:
        let scanner = CSVSegmentScanner(scope, accounts: accounts, pseudonymizer: pseudonymizer)
        stats = try ParallelScan(scanner: scanner, files: scope.files, jobs: scope.jobs, segmentBytes: scope.segmentBytes).run(sink: emit)
    }
    stats.outputBytes = total
    return stats
}

/// Buffers scoped output and passes it on in chunks of about 1 MiB (each chunk's array
/// is handed over whole, so a parallel scan can queue it without copying).
struct ScopedOutput {
    let sink: ([UInt8]) throws -> Void
    var bytes: [UInt8] = []
    static let chunk = 1 << 20

    init(sink: @escaping ([UInt8]) throws -> Void) {
        self.sink = sink
        bytes.reserveCapacity(ScopedOutput.chunk + 64 * 1024)
    }

    mutating func flushIfFull() throws { if bytes.count >= ScopedOutput.chunk { try flush() } }

    mutating func flush() throws {
        guard !bytes.isEmpty else { return }
        try sink(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}

extension DatasetStatistics {
    /// Adds another segment's counters (every field is a count or a map of counts, so
    /// the sum does not depend on how the dataset was cut).
    mutating func add(_ b: DatasetStatistics) {
        recordsScanned += b.recordsScanned
        recordsForSubjects += b.recordsForSubjects
        recordsDisclosed += b.recordsDisclosed
        recordsOutsideWindow += b.recordsOutsideWindow
        recordsWithUnparseableTime += b.recordsWithUnparseableTime
        outputBytes += b.outputBytes
        recordsWithoutAccount += b.recordsWithoutAccount
        for (k, v) in b.fieldActions { fieldActions[k, default: [:]].merge(v, uniquingKeysWith: +) }
        unmappedFields.merge(b.unmappedFields, uniquingKeysWith: +)
        valuesNotIPAddress.merge(b.valuesNotIPAddress, uniquingKeysWith: +)
        emptyContainers.merge(b.emptyContainers, uniquingKeysWith: +)
    }
}

/// Checks that an account or time path names object keys only (no `[]`): those fields
/// must hold one scalar per record.
func requireKeyPath(_ path: FieldPath, dataset: String, role: String) throws {
    for c in path.components {
        if case .each = c {
            throw InputError(file: dataset, field: path.description,
                             message: "the \(role) field must be a path of object keys, without []",
                             hint: "point the data map at a field that holds one value per record")
        }
    }
}

/// Runs `body` on the bytes of a captured scalar for matching: the decoded contents of
/// a string or a number's text. Nil for other kinds (null, booleans, containers).
@inline(__always)
func withCapturedText<R>(_ c: JSONCapture, _ base: UnsafePointer<UInt8>, scratch: inout [UInt8],
                         _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
    switch c.kind {
    case .string:
        if c.escaped {
            decodeString(base, c.start, c.end, into: &scratch)
            return try scratch.withUnsafeBytes(body)
        }
        return try body(UnsafeRawBufferPointer(start: base + c.start, count: c.end - c.start))
    case .number:
        return try body(UnsafeRawBufferPointer(start: base + c.start, count: c.end - c.start))
    default:
        return nil
    }
}

/// Parses a captured time value; nil when missing or unparseable.
func capturedTime(_ c: JSONCapture?, _ base: UnsafePointer<UInt8>, format: TimeFormat, scratch: inout [UInt8]) -> Instant? {
    guard let c else { return nil }
    if c.kind == .number && format == .rfc3339 { return nil }
    return withCapturedText(c, base, scratch: &scratch) { RecordTime.parse($0, format: format) } ?? nil
}

/// Rejects an account id or time that is an object or array (and an account id that is
/// a boolean): such a record is ambiguous, and guessing could disclose the wrong one.
func checkScalar(_ c: JSONCapture?, field: FieldPath?, role: String, reader: JSONRecordReader, allowBool: Bool) throws {
    guard let c else { return }
    switch c.kind {
    case .object, .array:
        throw reader.error(atBufferOffset: c.start, message: "the \(role) must be a string or a number, not an object or array",
                           field: field?.description)
    case .trueLiteral where !allowBool, .falseLiteral where !allowBool:
        throw reader.error(atBufferOffset: c.start, message: "the \(role) must be a string or a number, not a boolean",
                           field: field?.description)
    default:
        return
    }
}

// MARK: - CSV

/// The action for a CSV column: its name as one key, or (for names with dots) as a path.
func csvAction(_ name: String, _ actions: [FieldPath: FieldAction]) -> FieldAction? {
    if let a = actions[FieldPath([.key(name)])] { return a }
    if let p = FieldPath(parsing: name), let a = actions[p] { return a }
    return nil
}

/// Finds the column of a one-key field path in a CSV header.
func csvColumn(_ path: FieldPath, header: [String], reader: CSVReader, role: String) throws -> Int {
    let name = path.components.count == 1 ? { if case .key(let k) = path.components[0] { return k }; return "" }() : path.description
    guard let i = header.firstIndex(of: name) ?? header.firstIndex(of: path.description) else {
        throw InputError(file: reader.reader.displayPath, line: 1, field: path.description,
                         message: "the header has no column for the \(role) field",
                         hint: "check the field name in the data map against the CSV header")
    }
    return i
}


extension DatasetStatistics {
    /// Decides whether a subject's record falls inside `window` and counts the outcome:
    /// disclosed, outside the window, or withheld for a missing or unparseable time (fail
    /// closed). `time` is evaluated only when a window applies.
    mutating func admit(window: ClosedRange<Instant>?, time: @autoclosure () -> Instant?) -> Bool {
        if let window {
            guard let t = time() else { recordsWithUnparseableTime += 1; return false }
            guard window.contains(t) else { recordsOutsideWindow += 1; return false }
        }
        recordsDisclosed += 1
        return true
    }
}
