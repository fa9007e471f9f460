import DiscloseTestSupport
import Foundation
import Sodium
@testable import DiscloseKit

func fp(_ s: String) -> FieldPath { FieldPath(parsing: s)! }

/// Builds a scope with sensible defaults for tests.
func makeScope(_ files: [URL], format: DataFormat = .jsonl, account: String = "account", time: String? = "ts",
               timeFormat: TimeFormat = .rfc3339, window: ClosedRange<Instant>? = nil, accounts: Set<String> = ["A1"],
               actions: [String: FieldAction], key: SecretBytes? = nil) -> DatasetScope {
    var map: [FieldPath: FieldAction] = [:]
    for (k, v) in actions { map[fp(k)] = v }
    return DatasetScope(name: "test", format: format, files: files, accountField: fp(account), timeField: time.map(fp),
                        timeFormat: timeFormat, window: window, accounts: accounts, actions: map, pseudonymKey: key)
}

/// Runs scoping and returns the output text and statistics.
func runScope(_ s: DatasetScope) throws -> (String, DatasetStatistics) {
    var out: [UInt8] = []
    let stats = try scopeDataset(s) { out.append(contentsOf: $0) }
    return (String(decoding: out, as: UTF8.self), stats)
}

/// Runs scoping on one JSON Lines text with all fields disclosed except those given.
func scopeText(_ text: String, format: DataFormat = .jsonl, accounts: Set<String> = ["A1"],
               actions: [String: FieldAction] = [:], time: String? = nil, window: ClosedRange<Instant>? = nil,
               key: SecretBytes? = nil) throws -> (String, DatasetStatistics) {
    let dir = try TempDir("disclose-engine")
    let ext = format == .csv ? "csv" : (format == .json ? "json" : "jsonl")
    let f = dir.file("data.\(ext)", text)
    return try runScope(makeScope([f], format: format, time: time, window: window, accounts: accounts, actions: actions, key: key))
}

/// Expects `body` to throw an InputError and returns it.
func expectInputError(_ body: () throws -> Void) -> InputError? {
    do { try body() } catch let e as InputError { return e } catch { return nil }
    return nil
}

func at(_ s: String) -> Instant { TimeParsing.parseDate(s)! }

/// A small deterministic generator (SplitMix64), so a failing randomized test can be
/// replayed from its seed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A number in `r`.
    mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(next() % UInt64(r.count)) }
    /// An element of `a` (not empty).
    mutating func pick<T>(_ a: [T]) -> T { a[int(0...(a.count - 1))] }
}
