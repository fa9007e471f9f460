import Primitives
import Foundation

/// Scopes JSON Lines and JSON array files segment by segment for `ParallelScan`: every
/// record checked, the subjects' records inside the window written with their field actions.
/// JSON Lines files may be cut at line ends; a JSON array file is one segment.
struct JSONSegmentScanner: SegmentScanner {
    let scope: DatasetScope
    let accounts: ByteStringSet
    let pseudonymizer: Pseudonymizer?
    let targets: [FieldPath]
    let window: ClosedRange<Instant>?

    /// Checks the account and time paths (errors here come before any file is read).
    init(_ scope: DatasetScope, accounts: ByteStringSet, pseudonymizer: Pseudonymizer?) throws {
        try requireKeyPath(scope.accountField, dataset: scope.name, role: "account")
        var targets = [scope.accountField]
        if let t = scope.timeField {
            try requireKeyPath(t, dataset: scope.name, role: "time")
            targets.append(t)
        }
        self.scope = scope
        self.accounts = accounts
        self.pseudonymizer = pseudonymizer
        self.targets = targets
        window = scope.timeField == nil ? nil : scope.window
    }

    var splittable: Bool { scope.format == .jsonl }

    func prepare(file index: Int) throws -> ScanFile { try ScanFile(url: scope.files[index]) }

    func enter(file index: Int, _ prepared: ScanFile) throws -> [UInt8]? { [] }

    func emptyStats() -> DatasetStatistics { DatasetStatistics() }

    func merge(_ a: inout DatasetStatistics, _ b: DatasetStatistics) { a.add(b) }

    func walk(_ file: ScanFile, start: SegmentStart, limit: Int64, maxRecordBytes: Int,
              emit: @escaping ([UInt8], Int64?) throws -> Void) throws -> SegmentOutcome<DatasetStatistics> {
        let scanner = JSONScanner(targets: targets, jsonLines: scope.format == .jsonl)
        let writer = JSONRecordWriter(actions: scope.actions, pseudonymizer: pseudonymizer)
        let reader = JSONRecordReader(file: file, start: start, limit: limit, format: scope.format, scanner: scanner,
                                      maxRecordBytes: maxRecordBytes)
        var output = ScopedOutput { try emit($0, reader.walk.firstStart) }
        var stats = DatasetStatistics()
        var scratch: [UInt8] = []
        let scope = self.scope, accounts = self.accounts, window = self.window
        var tooLongAt: Int64?
        do {
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
        } catch let e as InputError where maxRecordBytes < ByteReader.defaultMaxRecord && reader.reader.recordTooLongAt != nil {
            _ = e
            tooLongAt = reader.reader.recordTooLongAt
        }
        try output.flush()
        writer.foldCounts(into: &stats)
        return SegmentOutcome(stats: stats, walk: reader.walk, tooLongAt: tooLongAt)
    }
}
