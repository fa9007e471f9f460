import Primitives
import Foundation

/// Scopes CSV files segment by segment for `ParallelScan`. The header is read once per
/// file (`prepare`); every segment checks its rows against it. A file may be cut at line
/// ends; a cut inside a quoted field is caught by the split confirmation.
struct CSVSegmentScanner: SegmentScanner {
    let scope: DatasetScope
    let accounts: ByteStringSet
    let pseudonymizer: Pseudonymizer?
    let window: ClosedRange<Instant>?

    /// A file with its header read: the columns, what is done with each, where rows begin.
    /// `headerError` / `columnError` are the file's own errors, thrown when its turn comes
    /// (after the first-header comparison, as one sequential pass would order them).
    struct Prepared: @unchecked Sendable {
        // `@unchecked`: `file` is an immutable `ScanFile`; the rest are values.
        let file: ScanFile
        let header: [String]?
        let headerRaw: [[UInt8]]
        let dataStart: Int64
        let accountColumn: Int
        let timeColumn: Int?
        let actions: [FieldAction?]
        let kept: [Int]
        let columnError: InputError?
    }

    init(_ scope: DatasetScope, accounts: ByteStringSet, pseudonymizer: Pseudonymizer?) {
        self.scope = scope
        self.accounts = accounts
        self.pseudonymizer = pseudonymizer
        window = scope.timeField == nil ? nil : scope.window
    }

    var splittable: Bool { true }

    func prepare(file index: Int) throws -> Prepared {
        let file = try ScanFile(url: scope.files[index])
        let csv = CSVReader(headerOf: file)
        guard try csv.readHeader() else {
            return Prepared(file: file, header: nil, headerRaw: [], dataStart: 0, accountColumn: 0, timeColumn: nil,
                            actions: [], kept: [], columnError: nil)
        }
        let header = csv.header
        var accountColumn = 0, timeColumn: Int?
        var columnError: InputError?
        do {
            accountColumn = try csvColumn(scope.accountField, header: header, reader: csv, role: "account")
            timeColumn = try scope.timeField.map { try csvColumn($0, header: header, reader: csv, role: "time") }
        } catch let e as InputError { columnError = e }
        var actions: [FieldAction?] = header.map { csvAction($0, scope.actions) }
        for i in actions.indices where actions[i] == .pseudonymize && pseudonymizer == nil { actions[i] = .withhold }
        let kept = actions.indices.filter { actions[$0] != nil && actions[$0] != .withhold }
        return Prepared(file: file, header: header, headerRaw: csv.headerRaw, dataStart: csv.dataStart,
                        accountColumn: accountColumn, timeColumn: timeColumn, actions: actions, kept: kept,
                        columnError: columnError)
    }

    /// The first file with a header, whose columns every later file must repeat.
    private final class FirstHeader: @unchecked Sendable {
        // `@unchecked`: only `enter` touches it, and `enter` runs on the one merging thread.
        var header: [String]?
    }
    private let first = FirstHeader()

    func enter(file index: Int, _ p: Prepared) throws -> [UInt8]? {
        guard let header = p.header else { return nil }
        if let firstHeader = first.header {
            guard firstHeader == header else {
                throw InputError(file: scope.files[index].path, line: 1, message: "the header differs from the first file's header",
                                 hint: "all files of a dataset must have the same columns in the same order")
            }
        }
        if let e = p.columnError { throw e }
        guard first.header == nil else { return [] }
        first.header = header
        var out: [UInt8] = []
        if !p.kept.isEmpty {
            for (n, i) in p.kept.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: p.headerRaw[i])
            }
            out.append(contentsOf: [0x0D, 0x0A])
        }
        return out
    }

    func emptyStats() -> DatasetStatistics { DatasetStatistics() }

    func merge(_ a: inout DatasetStatistics, _ b: DatasetStatistics) { a.add(b) }

    func walk(_ p: Prepared, start: SegmentStart, limit: Int64, maxRecordBytes: Int,
              emit: @escaping ([UInt8], Int64?) throws -> Void) throws -> SegmentOutcome<DatasetStatistics> {
        guard let header = p.header, p.columnError == nil else {
            return SegmentOutcome(stats: DatasetStatistics(), walk: SegmentWalk(firstStart: 0, stop: .max))
        }
        let csv = try CSVReader(file: p.file, start: start == .fileStart ? .boundary(p.dataStart) : start, limit: limit,
                                header: header, maxRecordBytes: maxRecordBytes)
        var output = ScopedOutput { try emit($0, csv.walk.firstStart) }
        var stats = DatasetStatistics()
        var tooLongAt: Int64?
        do {
            try scopeRows(csv, p, header: header, output: &output, stats: &stats)
        } catch let e as InputError where maxRecordBytes < ByteReader.defaultMaxRecord && csv.reader.recordTooLongAt != nil {
            _ = e
            tooLongAt = csv.reader.recordTooLongAt
        }
        try output.flush()
        return SegmentOutcome(stats: stats, walk: csv.walk, tooLongAt: tooLongAt)
    }

    /// The rows of one segment: counted, selected, written with their field actions.
    private func scopeRows(_ csv: CSVReader, _ p: Prepared, header: [String], output: inout ScopedOutput,
                           stats: inout DatasetStatistics) throws {
        let accountCol = p.accountColumn, timeCol = p.timeColumn, actions = p.actions, kept = p.kept
        let accounts = self.accounts, pseudonymizer = self.pseudonymizer, scope = self.scope, window = self.window
        var scratch: [UInt8] = []
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
