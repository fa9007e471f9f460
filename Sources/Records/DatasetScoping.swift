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
    try withoutActuallyEscaping(sink) { sink in
        var output = ScopedOutput(sink: sink)
        var stats = DatasetStatistics()
        let pseudonymizer = scope.pseudonymKey.map { Pseudonymizer(key: $0) }
        let accounts = ByteStringSet(scope.accounts)
        switch scope.format {
        case .jsonl, .json:
            try scopeJSON(scope, accounts: accounts, pseudonymizer: pseudonymizer, output: &output, stats: &stats)
        case .csv:
            try scopeCSV(scope, accounts: accounts, pseudonymizer: pseudonymizer, output: &output, stats: &stats)
        }
        try output.flush()
        stats.outputBytes = output.total
        return stats
    }
}

/// Buffers scoped output and passes it on in chunks.
struct ScopedOutput {
    let sink: (UnsafeRawBufferPointer) throws -> Void
    var bytes: [UInt8] = []
    var total = 0
    static let chunk = 1 << 20

    init(sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.sink = sink
        bytes.reserveCapacity(ScopedOutput.chunk + 64 * 1024)
    }

    mutating func flushIfFull() throws { if bytes.count >= ScopedOutput.chunk { try flush() } }

    mutating func flush() throws {
        guard !bytes.isEmpty else { return }
        try bytes.withUnsafeBytes { try sink($0) }
        total += bytes.count
        bytes.removeAll(keepingCapacity: true)
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

private func scopeJSON(_ scope: DatasetScope, accounts: ByteStringSet, pseudonymizer: Pseudonymizer?,
                       output: inout ScopedOutput, stats: inout DatasetStatistics) throws {
    try requireKeyPath(scope.accountField, dataset: scope.name, role: "account")
    var targets = [scope.accountField]
    if let t = scope.timeField {
        try requireKeyPath(t, dataset: scope.name, role: "time")
        targets.append(t)
    }
    let window = scope.timeField == nil ? nil : scope.window
    let scanner = JSONScanner(targets: targets, jsonLines: scope.format == .jsonl)
    let writer = JSONRecordWriter(actions: scope.actions, pseudonymizer: pseudonymizer)
    var scratch: [UInt8] = []
    for url in scope.files {
        let reader = try JSONRecordReader(url: url, format: scope.format, scanner: scanner)
        try reader.forEachRecord { r in
            stats.recordsScanned += 1
            var account: JSONCapture?
            var time: JSONCapture?
            for c in scanner.captures {
                if c.target == 0 { account = c } else { time = c }
            }
            try checkScalar(time, field: scope.timeField, role: "time", reader: reader, allowBool: true)
            try checkScalar(account, field: scope.accountField, role: "account id", reader: reader, allowBool: false)
            guard let a = account, let isSubject = withCapturedText(a, r.base, scratch: &scratch, { accounts.contains($0) }) else {
                stats.recordsWithoutAccount += 1
                return
            }
            guard isSubject else { return }
            stats.recordsForSubjects += 1
            guard stats.admit(window: window, time: capturedTime(time, r.base, format: scope.timeFormat, scratch: &scratch)) else { return }
            writer.write(r.base, r.start, r.end, layout: scanner.servedLayout, into: &output.bytes, stats: &stats)
            try output.flushIfFull()
        }
    }
    writer.foldCounts(into: &stats)
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

private func scopeCSV(_ scope: DatasetScope, accounts: ByteStringSet, pseudonymizer: Pseudonymizer?,
                      output: inout ScopedOutput, stats: inout DatasetStatistics) throws {
    var firstHeader: [String]?
    var scratch: [UInt8] = []
    let window = scope.timeField == nil ? nil : scope.window
    for url in scope.files {
        let csv = try CSVReader(url: url)
        guard try csv.readHeader() else { continue }
        let header = csv.header
        if let first = firstHeader {
            guard first == header else {
                throw InputError(file: url.path, line: 1, message: "the header differs from the first file's header",
                                 hint: "all files of a dataset must have the same columns in the same order")
            }
        }
        let accountCol = try csvColumn(scope.accountField, header: header, reader: csv, role: "account")
        let timeCol = try scope.timeField.map { try csvColumn($0, header: header, reader: csv, role: "time") }
        var actions: [FieldAction?] = header.map { csvAction($0, scope.actions) }
        for i in actions.indices where actions[i] == .pseudonymize && pseudonymizer == nil { actions[i] = .withhold }
        let kept = actions.indices.filter { actions[$0] != nil && actions[$0] != .withhold }
        if firstHeader == nil {
            firstHeader = header
            if !kept.isEmpty {
                for (n, i) in kept.enumerated() {
                    if n > 0 { output.bytes.append(UInt8(ascii: ",")) }
                    output.bytes.append(contentsOf: csv.headerRaw[i])
                }
                output.bytes.append(contentsOf: [0x0D, 0x0A])
            }
        }
        try csv.forEachRecord { base in
            stats.recordsScanned += 1
            let fields = csv.fields
            fields[accountCol].decoded(base, into: &scratch)
            if scratch.isEmpty {
                stats.recordsWithoutAccount += 1
                return
            }
            guard scratch.withUnsafeBytes({ accounts.contains($0) }) else { return }
            stats.recordsForSubjects += 1
            let w = timeCol == nil ? nil : window
            guard stats.admit(window: w, time: {
                fields[timeCol!].decoded(base, into: &scratch)
                return scratch.withUnsafeBytes { RecordTime.parse($0, format: scope.timeFormat) }
            }()) else { return }
            for (i, action) in actions.enumerated() {
                let name = header[i]
                guard let action else {
                    stats.unmappedFields[name, default: 0] += 1
                    continue
                }
                if action == .withhold { stats.fieldActions[name, default: [:]]["withhold", default: 0] += 1 }
            }
            guard !kept.isEmpty else { return }
            for (n, i) in kept.enumerated() {
                if n > 0 { output.bytes.append(UInt8(ascii: ",")) }
                let f = fields[i]
                let name = header[i]
                let action = actions[i]!
                if action == .disclose {
                    output.bytes.append(contentsOf: UnsafeBufferPointer(start: base + f.start, count: f.end - f.start))
                    stats.fieldActions[name, default: [:]]["disclose", default: 0] += 1
                    continue
                }
                f.decoded(base, into: &scratch)
                if scratch.isEmpty {
                    stats.fieldActions[name, default: [:]][action.rawValue, default: 0] += 1
                    continue
                }
                let value: [UInt8]
                switch action {
                case .pseudonymize: value = scratch.withUnsafeBytes { pseudonymizer!.pseudonymBytes(of: $0) }
                case .mask: value = scratch.withUnsafeBytes { Masking.mask($0) }
                case .ipPrefix:
                    guard let ip = scratch.withUnsafeBytes({ IPAddress(bytes: $0) }) else {
                        stats.fieldActions[name, default: [:]]["withhold", default: 0] += 1
                        stats.valuesNotIPAddress[name, default: 0] += 1
                        continue
                    }
                    value = Array(ip.prefixText.utf8)
                case .disclose, .withhold: preconditionFailure("handled above")
                }
                CSVQuoting.append(value, to: &output.bytes)
                stats.fieldActions[name, default: [:]][action.rawValue, default: 0] += 1
            }
            output.bytes.append(contentsOf: [0x0D, 0x0A])
            try output.flushIfFull()
        }
    }
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
