import Foundation
import Sodium
import Testing
@testable import DiscloseKit
@testable import Records

/// The record writer's per-layout program (records the scanner served from its
/// template) must write exactly what the general walk writes, byte for byte, and count
/// exactly the same per-field actions, unmapped fields and non-IP values.
struct LayoutProgramTests {
    static let actions: [FieldPath: FieldAction] = [
        fp("account_id"): .disclose, fp("ts"): .disclose, fp("ip"): .ipPrefix, fp("email"): .pseudonymize,
        fp("name"): .mask, fp("secret"): .withhold, fp("h.id"): .disclose, fp("k_id"): .disclose,
    ]
    static let keys = ["account_id", "ts", "ip", "email", "name", "secret", "h", "k\\u005fid", "unknown", "port"]
    static let values = [#""acc_1""#, "42", "-1.5e3", "null", "true", #""198.51.100.7""#, #""2001:db8::1""#, #""not an ip""#,
                         #""Bob@Example.com""#, #""caf\u00e9 \"x\"""#, #""""#, "false"]

    /// Writes every record twice — with the layout the scanner reports, and with none
    /// (the general walk) — and returns both outputs and statistics.
    static func writeBothWays(_ records: [[UInt8]], pseudonyms: Bool) -> ((String, DatasetStatistics), (String, DatasetStatistics), Int) {
        let pseudonymizer = pseudonyms ? Pseudonymizer(key: SecretBytes(copying: [UInt8](repeating: 9, count: 32))) : nil
        let scanner = JSONScanner(targets: [fp("account_id")], jsonLines: true)
        let fast = JSONRecordWriter(actions: actions, pseudonymizer: pseudonymizer)
        let plain = JSONRecordWriter(actions: actions, pseudonymizer: pseudonymizer)
        var outA: [UInt8] = [], outB: [UInt8] = []
        var statsA = DatasetStatistics(), statsB = DatasetStatistics()
        var served = 0
        for r in records {
            r.withUnsafeBufferPointer { b in
                guard let end = try? scanner.scanObject(b.baseAddress!, from: 0, to: b.count) else { return }
                let layout = scanner.servedLayout
                if layout != nil { served += 1 }
                fast.write(b.baseAddress!, 0, end, layout: layout, into: &outA, stats: &statsA)
                plain.write(b.baseAddress!, 0, end, into: &outB, stats: &statsB)
            }
        }
        fast.foldCounts(into: &statsA)
        plain.foldCounts(into: &statsB)
        return ((String(decoding: outA, as: UTF8.self), statsA), (String(decoding: outB, as: UTF8.self), statsB), served)
    }

    @Test(arguments: [true, false])
    func programWritesWhatTheWalkWrites(pseudonyms: Bool) {
        var rng = SplitMix(seed: pseudonyms ? 11 : 12)
        var shape = ["account_id", "ts", "ip", "email"]
        var records: [[UInt8]] = []
        for round in 0..<3000 {
            switch rng.next() % 25 {
            case 0: shape[Int(rng.next() % UInt64(shape.count))] = Self.keys[Int(rng.next() % UInt64(Self.keys.count))]
            case 1 where shape.count < 12: shape.append(Self.keys[Int(rng.next() % UInt64(Self.keys.count))])
            case 2 where shape.count > 1: shape.removeLast()
            default: break
            }
            // Duplicate keys are rejected by the scanner and never reach the writer.
            var seen = Set<String>()
            let members = shape.filter { seen.insert($0.replacingOccurrences(of: "\\u005f", with: "_")).inserted }.map {
                "\"\($0)\":\(Self.values[Int(rng.next() % UInt64(Self.values.count))])"
            }
            let space = round % 50 == 0 ? " " : ""
            records.append(Array(("{" + members.joined(separator: "," + space) + "}").utf8))
        }
        let ((a, statsA), (b, statsB), served) = Self.writeBothWays(records, pseudonyms: pseudonyms)
        #expect(served > 2000)
        #expect(a == b)
        #expect(statsA.fieldActions == statsB.fieldActions)
        #expect(statsA.unmappedFields == statsB.unmappedFields)
        #expect(statsA.valuesNotIPAddress == statsB.valuesNotIPAddress)
        #expect(!statsA.unmappedFields.isEmpty && !statsA.valuesNotIPAddress.isEmpty)
    }

    @Test func recordsWithNothingToDiscloseAreEmptyObjects() {
        let records = (0..<5).map { Array(#"{"secret":"s\#($0)","unknown":\#($0)}"#.utf8) }
        let ((a, statsA), (b, _), served) = Self.writeBothWays(records, pseudonyms: true)
        #expect(served == 4)
        #expect(a == b && a == String(repeating: "{}\n", count: 5))
        #expect(statsA.unmappedFields == ["unknown": 5])
    }
}
