import Primitives
import Foundation

/// Resolves subject identifiers over JSON Lines and JSON array files segment by segment
/// for `ParallelScan` (no output; the found accounts and counters are merged). Every
/// record is checked exactly as `resolveIdentifiers` always did; JSON Lines files may be
/// cut at line ends, a JSON array file is one segment.
struct IdentifierSegmentScanner: SegmentScanner {
    let search: IdentifierSearch
    /// The normalized subjects with an empty result: each walk starts from a copy.
    let matcher: IdentifierMatcher
    let targets: [FieldPath]

    /// Checks the account and time paths (errors here come before any file is read).
    init(_ search: IdentifierSearch, matcher: IdentifierMatcher) throws {
        try requireKeyPath(search.accountField, dataset: search.dataset, role: "account")
        var targets = [search.accountField, search.identifierField]
        if let t = search.timeField {
            try requireKeyPath(t, dataset: search.dataset, role: "time")
            targets.append(t)
        }
        self.search = search
        self.matcher = matcher
        self.targets = targets
    }

    var splittable: Bool { search.format == .jsonl }

    func prepare(file index: Int) throws -> ScanFile { try ScanFile(url: search.files[index]) }

    func enter(file index: Int, _ prepared: ScanFile) throws -> [UInt8]? { [] }

    func emptyStats() -> IdentifierResolution { matcher.result }

    /// Unions the accounts and look-alike accounts, sums the counters (order-free).
    func merge(_ a: inout IdentifierResolution, _ b: IdentifierResolution) {
        for i in a.accounts.indices {
            a.accounts[i].formUnion(b.accounts[i])
            a.lookAlikeAccounts[i].formUnion(b.lookAlikeAccounts[i])
            a.lookAlikeRecords[i] += b.lookAlikeRecords[i]
        }
        a.recordsScanned += b.recordsScanned
        a.recordsMatchingValue += b.recordsMatchingValue
        a.recordsWithUnparseableTime += b.recordsWithUnparseableTime
        a.recordsWithoutAccount += b.recordsWithoutAccount
    }

    func walk(_ file: ScanFile, start: SegmentStart, limit: Int64, maxRecordBytes: Int,
              emit: @escaping ([UInt8], Int64?) throws -> Void) throws -> SegmentOutcome<IdentifierResolution> {
        let scanner = JSONScanner(targets: targets, jsonLines: search.format == .jsonl)
        let reader = JSONRecordReader(file: file, start: start, limit: limit, format: search.format, scanner: scanner,
                                      maxRecordBytes: maxRecordBytes)
        var m = matcher
        var tooLongAt: Int64?
        do {
            try scan(reader, scanner, &m)
        } catch let e as InputError where maxRecordBytes < ByteReader.defaultMaxRecord && reader.reader.recordTooLongAt != nil {
            _ = e
            tooLongAt = reader.reader.recordTooLongAt
        }
        return SegmentOutcome(stats: m.result, walk: reader.walk, tooLongAt: tooLongAt)
    }

    private func scan(_ reader: JSONRecordReader, _ scanner: JSONScanner, _ m: inout IdentifierMatcher) throws {
        let search = self.search
        var scratch: [UInt8] = []
        var timeScratch: [UInt8] = []
        try reader.forEachRecord { r in
            m.result.recordsScanned += 1
            var account: JSONCapture?
            var time: JSONCapture?
            var hasIdentifier = false
            for c in scanner.captures {
                switch c.target {
                case 0: account = c
                case 1:
                    hasIdentifier = true
                    if c.kind == .object || c.kind == .array {
                        throw reader.error(atBufferOffset: c.start, message: "the identifier field must hold strings or numbers",
                                           field: search.identifierField.description)
                    }
                default: time = c
                }
            }
            try checkScalar(time, field: search.timeField, role: "time", reader: reader, allowBool: true)
            try checkScalar(account, field: search.accountField, role: "account id", reader: reader, allowBool: false)
            guard let a = account, a.kind == .string || a.kind == .number else {
                m.result.recordsWithoutAccount += 1
                return
            }
            guard hasIdentifier else { return }
            for c in scanner.captures where c.target == 1 {
                guard let hit = withCapturedText(c, r.base, scratch: &scratch, { m.subjects(for: $0) }) else { continue }
                guard let indices = hit.exact else {
                    if let near = hit.lookAlike {
                        m.lookAlike(near, account: withCapturedText(a, r.base, scratch: &scratch) { String(decoding: $0, as: UTF8.self) } ?? "")
                    }
                    continue
                }
                let accountID = withCapturedText(a, r.base, scratch: &scratch) { String(decoding: $0, as: UTF8.self) } ?? ""
                m.match(indices, account: accountID) {
                    capturedTime(time, r.base, format: search.timeFormat, scratch: &timeScratch)
                }
            }
        }
    }
}
