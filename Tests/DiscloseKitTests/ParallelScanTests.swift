import DiscloseTestSupport
import Foundation
import Testing
import Primitives
import Sodium
@testable import Records

/// Differential tests of the parallel scan (#19): for seeded random datasets — several
/// files, blank lines, byte order marks, empty files, records longer than a segment,
/// JSON objects spread over lines, CSV quoted fields holding line breaks placed right at
/// the cuts, and damaged records at random places — `jobs` 2…8 give the very output,
/// statistics and error (file, line, column, message) of `jobs` 1. Segments are 4 KiB
/// so that every dataset is cut dozens of times.
@Suite("Parallel scan: every jobs value gives the same bytes, counts and error")
struct ParallelScanTests {
    static let segment = 4096

    /// What one scan produced: the output bytes and statistics, or the error.
    enum Result: Equatable {
        case scoped([UInt8], DatasetStatistics)
        case failed(InputError)
    }

    static func scan(_ scope: DatasetScope, jobs: Int) -> Result {
        var s = scope
        s.jobs = jobs
        s.segmentBytes = segment
        var out: [UInt8] = []
        do {
            let stats = try scopeDataset(s) { out.append(contentsOf: $0) }
            #expect(stats.outputBytes == out.count)
            return .scoped(out, stats)
        } catch let e as InputError {
            return .failed(e)
        } catch {
            Issue.record("unexpected error \(error)")
            return .failed(InputError(file: "?", message: "\(error)"))
        }
    }

    /// Scans with jobs 1…8 and expects every result to equal jobs 1's; returns it.
    @discardableResult
    static func expectSameForEveryJobs(_ scope: DatasetScope, _ label: String) -> Result {
        let reference = scan(scope, jobs: 1)
        for jobs in 2...8 {
            let r = scan(scope, jobs: jobs)
            if r != reference {
                Issue.record("\(label): jobs \(jobs) differs from jobs 1:\n\(describe(r))\nvs\n\(describe(reference))")
                return reference
            }
        }
        return reference
    }

    static func describe(_ r: Result) -> String {
        switch r {
        case .scoped(let b, let s): return "\(b.count) bytes, \(s)"
        case .failed(let e): return "error \(e)"
        }
    }

    static func scope(_ files: [URL], _ format: DataFormat, key: Bool = true) -> DatasetScope {
        let window = Instant(nanoseconds: 1_700_000_000 * 1_000_000_000)...Instant(nanoseconds: 1_700_900_000 * 1_000_000_000)
        var map: [FieldPath: FieldAction] = [:]
        map[FieldPath(parsing: "account")!] = .disclose
        map[FieldPath(parsing: "ts")!] = .disclose
        map[FieldPath(parsing: "ip")!] = .ipPrefix
        map[FieldPath(parsing: "peer")!] = .pseudonymize
        map[FieldPath(parsing: "note")!] = .mask
        map[FieldPath(parsing: "tags[]")!] = .disclose
        return DatasetScope(name: "random", format: format, files: files, accountField: FieldPath(parsing: "account")!,
                            timeField: FieldPath(parsing: "ts")!, timeFormat: .rfc3339, window: window,
                            accounts: ["A1", "A3", "A7"], actions: map,
                            pseudonymKey: key ? SecretBytes(copying: Array(repeating: UInt8(7), count: 32)) : nil)
    }

    @Test("JSON Lines: random datasets, clean and damaged", arguments: 0..<24)
    func jsonLines(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let dir = try TempDir("disclose-engine")
        let files = (0..<Int.random(in: 1...4, using: &g)).map { i in
            dir.file("part\(i).jsonl", RandomData.jsonLines(&g, damaged: seed % 3 == 1))
        }
        let r = Self.expectSameForEveryJobs(Self.scope(files, .jsonl), "jsonl seed \(seed)")
        if seed % 3 != 1, case .failed(let e) = r { Issue.record("a clean dataset failed: \(e)") }
    }

    @Test("identifier resolution over JSON Lines: the same accounts, look-alikes, counts and error", arguments: 0..<12)
    func resolution(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let dir = try TempDir("disclose-engine")
        let files = (0..<Int.random(in: 1...4, using: &g)).map { i in
            dir.file("part\(i).jsonl", RandomData.jsonLines(&g, damaged: seed % 3 == 1))
        }
        let t = Instant(nanoseconds: 1_700_400_000 * 1_000_000_000)
        let searches = [
            IdentifierSearch(dataset: "random", format: .jsonl, files: files, accountField: FieldPath(parsing: "account")!,
                             identifierField: FieldPath(parsing: "email")!, kind: .email, timeField: nil, timeFormat: .rfc3339,
                             toleranceNanoseconds: 0, subjects: [SubjectIdentifier("kate@example.org"), SubjectIdentifier("eve3@example.org")]),
            IdentifierSearch(dataset: "random", format: .jsonl, files: files, accountField: FieldPath(parsing: "account")!,
                             identifierField: FieldPath(parsing: "ip")!, kind: .ipv4, timeField: FieldPath(parsing: "ts")!,
                             timeFormat: .rfc3339, toleranceNanoseconds: 600_000 * 1_000_000_000,
                             subjects: [SubjectIdentifier("198.51.100.7", time: t), SubjectIdentifier("198.51.100.9")]),
        ]
        for base in searches {
            func run(_ jobs: Int) -> Swift.Result<IdentifierResolution, InputError> {
                var s = base
                s.jobs = jobs
                s.segmentBytes = Self.segment
                do { return .success(try resolveIdentifiers(s)) } catch let e as InputError { return .failure(e) } catch {
                    return .failure(InputError(file: "?", message: "\(error)"))
                }
            }
            let reference = run(1)
            if seed % 3 != 1, case .failure(let e) = reference { Issue.record("a clean dataset failed: \(e)") }
            if case .success(let r) = reference { #expect(r.recordsScanned > 0 || files.count > 0) }
            for jobs in 2...8 {
                let r = run(jobs)
                #expect(r == reference, "seed \(seed) \(base.kind): jobs \(jobs) differs from jobs 1")
                if r != reference { break }
            }
        }
    }

    @Test("CSV: quoted line breaks at the cuts, long rows, damage", arguments: 0..<24)
    func csv(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let dir = try TempDir("disclose-engine")
        let files = (0..<Int.random(in: 1...4, using: &g)).map { i in
            dir.file("part\(i).csv", RandomData.csv(&g, damaged: seed % 3 == 1, segment: Self.segment))
        }
        let r = Self.expectSameForEveryJobs(Self.scope(files, .csv), "csv seed \(seed)")
        if seed % 3 != 1, case .failed(let e) = r { Issue.record("a clean dataset failed: \(e)") }
    }

    @Test("JSON arrays: several files in parallel, each read whole", arguments: 0..<8)
    func jsonArrays(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let dir = try TempDir("disclose-engine")
        let files = (0..<Int.random(in: 1...5, using: &g)).map { i in
            dir.file("part\(i).json", RandomData.jsonArray(&g, damaged: seed % 3 == 1))
        }
        Self.expectSameForEveryJobs(Self.scope(files, .json), "json seed \(seed)")
    }

    @Test("the first error in file order wins, with its true line and column, whatever segment found it")
    func firstErrorWins() throws {
        let dir = try TempDir("disclose-engine")
        var lines: [String] = []
        for i in 0..<3000 { lines.append(#"{"account":"A\#(i % 9)","ts":"2023-11-15T00:00:00Z","note":"n\#(i)"}"#) }
        lines[2500] = #"{"account":"A1","ts": }"#
        lines[1200] = #"{"account":"A1" "ts":"x"}"#
        let file = dir.file("bad.jsonl", lines.joined(separator: "\n") + "\n")
        let r = Self.expectSameForEveryJobs(Self.scope([file], .jsonl), "two damaged lines")
        guard case .failed(let e) = r else { Issue.record("no error"); return }
        #expect(e.line == 1201)
        #expect(e.column == 17)
    }

    @Test("clean files are really cut: every split is confirmed, none falls back to one thread")
    func splitsConfirmed() throws {
        var g = SeededGenerator(seed: 99)
        let dir = try TempDir("disclose-engine")
        var text = ""
        for _ in 0..<2000 { text += RandomData.jsonRecord(&g, multiline: false) + "\n" }
        let jsonl = dir.file("clean.jsonl", text)
        var csv = "account,ts,ip,peer,note\r\n"
        for i in 0..<2000 { csv += "A\(i % 8),2023-11-15T00:00:00Z,198.51.100.\(i % 256),p\(i % 9),\"n\(i)\"\r\n" }
        let csvFile = dir.file("clean.csv", csv)
        let scope = Self.scope([jsonl], .jsonl)
        let scan = ParallelScan(scanner: try JSONSegmentScanner(scope, accounts: ByteStringSet(scope.accounts), pseudonymizer: nil),
                                files: [jsonl], jobs: 3, segmentBytes: Self.segment)
        _ = try scan.run { _ in }
        #expect(scan.mergedSegments > 20)
        #expect(scan.sequentialFallbacks == 0)
        let cscope = Self.scope([csvFile], .csv)
        let cscan = ParallelScan(scanner: CSVSegmentScanner(cscope, accounts: ByteStringSet(cscope.accounts), pseudonymizer: nil),
                                 files: [csvFile], jobs: 3, segmentBytes: 1024)
        _ = try cscan.run { _ in }
        #expect(cscan.mergedSegments > 20)
        #expect(cscan.sequentialFallbacks == 0)
    }

    @Test("a cut inside a quoted CSV field is caught and that file is finished by one thread")
    func quotedCutFallsBack() throws {
        let dir = try TempDir("disclose-engine")
        var csv = "account,ts,ip,peer,note\n"
        for i in 0..<100 { csv += "A1,2023-11-15T00:00:00Z,198.51.100.1,p,\"a\nb\nc\nd\(i)\"\n" }
        let file = dir.file("quoted.csv", csv)
        let scope = Self.scope([file], .csv)
        let scan = ParallelScan(scanner: CSVSegmentScanner(scope, accounts: ByteStringSet(scope.accounts), pseudonymizer: nil),
                                files: [file], jobs: 2, segmentBytes: 512)
        _ = try scan.run { _ in }
        #expect(scan.sequentialFallbacks >= 1)
        Self.expectSameForEveryJobs(scope, "quoted cut")
    }

    @Test("a tiny output budget: workers wait for their turn and the output is still whole and in order", arguments: 0..<4)
    func tinyOutputBudget(seed: UInt64) throws {
        var g = SeededGenerator(seed: 1000 + seed)
        let dir = try TempDir("disclose-engine")
        let files = (0..<3).map { i in dir.file("part\(i).jsonl", RandomData.jsonLines(&g, damaged: false)) }
        var scope = Self.scope(files, .jsonl)
        scope.accounts = Set(RandomData.accounts)
        scope.window = nil
        guard case .scoped(let expected, let expectedStats) = Self.scan(scope, jobs: 1) else { Issue.record("jobs 1 failed"); return }
        for jobs in [2, 3, 5] {
            let scanner = try JSONSegmentScanner(scope, accounts: ByteStringSet(scope.accounts),
                                                 pseudonymizer: scope.pseudonymKey.map { Pseudonymizer(key: $0) })
            let scan = ParallelScan(scanner: scanner, files: files, jobs: jobs, segmentBytes: 2048, outputCap: 300)
            var out: [UInt8] = []
            var stats = try scan.run { out += $0 }
            stats.outputBytes = out.count
            #expect(out == expected, "jobs \(jobs)")
            #expect(stats == expectedStats, "jobs \(jobs)")
        }
    }

    @Test("one line far longer than a segment, in the middle of a file")
    func longRecord() throws {
        let dir = try TempDir("disclose-engine")
        var text = ""
        for i in 0..<200 { text += #"{"account":"A\#(i % 4)","ts":"2023-11-15T00:00:00Z","note":"n\#(i)"}"# + "\n" }
        text += #"{"account":"A1","ts":"2023-11-15T00:00:00Z","note":""# + String(repeating: "x", count: 50_000) + "\"}\n"
        for i in 0..<200 { text += #"{"account":"A\#(i % 4)","ts":"2023-11-15T00:00:00Z","note":"m\#(i)"}"# + "\n" }
        let r = Self.expectSameForEveryJobs(Self.scope([dir.file("long.jsonl", text)], .jsonl), "long record")
        guard case .scoped(_, let s) = r else { Issue.record("failed: \(r)"); return }
        #expect(s.recordsScanned == 401)
    }
}

/// SplitMix64: a small seeded generator, so that every run tests the same datasets.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
