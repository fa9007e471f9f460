import Foundation
import Testing
@testable import DiscloseKit
@testable import Records

/// The record template (the literal layout of the last flat record) is a shortcut: every
/// record must get exactly the outcome a fresh scanner gives it — accepted with the same
/// end and captures, or rejected at the same offset with the same message — and the
/// shortcut must actually serve the records it is made for.
struct RecordTemplateTests {
    typealias Outcome = ScannerFastPathTests.Outcome
    static let targets = [fp("account_id"), fp("ts"), fp("o.x"), fp("arr[]"), fp("port")]

    /// Scans every record with one warm scanner and with a fresh one each; returns how
    /// many records the warm scanner's template served.
    @discardableResult
    static func expectSameOutcomes(_ records: [[UInt8]], targets: [FieldPath] = targets, jsonLines: Bool = true,
                                   sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        let warm = JSONScanner(targets: targets, jsonLines: jsonLines)
        var served = 0
        for (n, bytes) in records.enumerated() {
            let before = warm.template.pointee.hits
            let got = ScannerFastPathTests.scan(warm, bytes)
            if warm.template.pointee.hits > before { served += 1 }
            let expected = ScannerFastPathTests.scan(JSONScanner(targets: targets, jsonLines: jsonLines), bytes)
            #expect(got == expected, "record \(n): \(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
        }
        return served
    }

    /// A value of the given kind (0 string, 1 number, 2 literal), drawn to cover the
    /// plain and the slow forms of each.
    static func value(_ kind: Int, _ rng: inout SplitMix) -> String {
        switch kind {
        case 0:
            switch rng.next() % 6 {
            case 0: return "\"\""
            case 1: return "\"a\\\"b\\u00e9\\ud83d\\ude00\""
            case 2: return "\"caf\u{e9} \u{1F600}\""
            default: return "\"" + String(repeating: "x", count: Int(rng.next() % 40)) + "\""
            }
        case 1:
            return ["0", "-0", "7", "1024", "-12.5", "3e9", "1.5E-3", "12345678901234567890", "-0.0e+1"][Int(rng.next() % 9)]
        default:
            return ["true", "false", "null"][Int(rng.next() % 3)]
        }
    }

    @Test func stableLayoutsAreServedAndGiveAFreshScannersAnswers() {
        var rng = SplitMix(seed: 0x7E3A_1A7E)
        var keys = ["account_id", "ts", "ip", "port"]
        var kinds = [0, 0, 0, 1]
        var space = ""
        var records: [[UInt8]] = []
        for round in 0..<8000 {
            // Mostly the same layout, with drift: a value kind, a key, the spacing, the
            // member count; and now and then a damaged or truncated record.
            switch rng.next() % 40 {
            case 0: kinds[Int(rng.next() % UInt64(kinds.count))] = Int(rng.next() % 3)
            case 1: keys[Int(rng.next() % UInt64(keys.count))] = ScannerFastPathTests.keyPool[Int(rng.next() % 16)]
            case 2: space = space.isEmpty ? " " : ""
            case 3 where keys.count < 36: keys.append("k\(keys.count)"); kinds.append(Int(rng.next() % 3))
            case 4 where keys.count > 1: keys.removeLast(); kinds.removeLast()
            default: break
            }
            let members = zip(keys, kinds).map { "\"\($0)\"\(space):\(space)\(Self.value($1, &rng))" }
            var bytes = Array(("{" + members.joined(separator: ",\(space)") + "}").utf8)
            if round % 7 == 6 { bytes = ScannerFastPathTests.mutate(bytes, &rng) }
            records.append(bytes)
        }
        let served = Self.expectSameOutcomes(records)
        #expect(served > 3000, "the template served only \(served) of \(records.count) records")
    }

    @Test func everyPrefixOfAServedRecordGivesAFreshScannersAnswer() {
        let record = Array(#"{"account_id":"acc_1","ts":"2026-10-01T00:00:00Z","note":"caf\u00e9 é","port":1024,"ok":true,"x":null}"#.utf8)
        let warmUp = [record, record]
        for cut in 0...record.count {
            Self.expectSameOutcomes(warmUp + [Array(record.prefix(cut)), record])
        }
    }

    @Test func everyByteChangeOfAServedRecordGivesAFreshScannersAnswer() {
        let record = Array(#"{"account_id":"acc_1","ts":"2026-10-01T00:00:00Z","port":-10.5e2,"ok":false}"#.utf8)
        let replacements: [UInt8] = [0x22, 0x5C, 0x00, 0x0A, 0x20, 0x3A, 0x2C, 0x7B, 0x7D, 0x5B, 0x5D, 0x80, 0xC3, 0x30, 0x31,
                                     0x2E, 0x65, 0x2D, 0x61, 0x74]
        for i in record.indices {
            for r in replacements where r != record[i] {
                var changed = record
                changed[i] = r
                Self.expectSameOutcomes([record, record, changed, record])
            }
        }
    }

    @Test func aRecordThatFitsTheLayoutCannotSmuggleADuplicateKey() {
        // The first value's text spells out a second "account_id" member; a template
        // compare that trusted byte positions instead of the string scan would accept it.
        let records = [#"{"account_id":"a","ts":"b"}"#, #"{"account_id":"a","ts":"b"}"#,
                       #"{"account_id":"x\",\"account_id\":\"y","ts":"b"}"#,
                       #"{"account_id":"a","ts":"b","account_id":"c"}"#]
        Self.expectSameOutcomes(records.map { Array($0.utf8) })
        let scanner = JSONScanner(targets: [fp("account_id")], jsonLines: true)
        for r in records.prefix(2) { _ = ScannerFastPathTests.scan(scanner, Array(r.utf8)) }
        guard case .rejected(_, let message, _) = ScannerFastPathTests.scan(scanner, Array(records[3].utf8)) else {
            Issue.record("accepted a duplicate key")
            return
        }
        #expect(message == "duplicate key in an object")
    }

    @Test func jsonLinesRulesHoldOnServedRecords() {
        // A raw line break inside a value, and a layout learned from a JSON array file
        // (where whitespace may include line breaks) used on JSON Lines is not possible:
        // one scanner serves one format.
        let records = [#"{"account_id":"a","ts":1}"#, #"{"account_id":"a","ts":1}"#, "{\"account_id\":\"a\nb\",\"ts\":1}"]
        Self.expectSameOutcomes(records.map { Array($0.utf8) })
        let arrayRecords = ["{\n \"account_id\": \"a\",\n \"ts\": 1\n}", "{\n \"account_id\": \"b\",\n \"ts\": 2\n}",
                            "{\n \"account_id\": \"c\",\n \"ts\": 3\n}"]
        let served = Self.expectSameOutcomes(arrayRecords.map { Array($0.utf8) }, jsonLines: false)
        #expect(served == 2)
    }

    @Test func layoutsPastTheLimitsAreScannedInFull() {
        // More values than a template holds, and keys longer than its byte budget: no
        // template is built, and every record is still scanned right.
        let many = "{" + (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}"
        let longKey = "{\"" + String(repeating: "k", count: 1100) + "\":1,\"account_id\":\"a\"}"
        let longSegment = "{\"" + String(repeating: "k", count: 100) + "\":1,\"account_id\":\"a\"}"
        #expect(Self.expectSameOutcomes(Array(repeating: Array(many.utf8), count: 4)) == 0)
        #expect(Self.expectSameOutcomes(Array(repeating: Array(longKey.utf8), count: 4)) == 0)
        // A segment longer than sixteen bytes is compared in full.
        #expect(Self.expectSameOutcomes(Array(repeating: Array(longSegment.utf8), count: 4)) == 3)
        let other = "{\"" + String(repeating: "k", count: 99) + "j\":1,\"account_id\":\"a\"}"
        #expect(Self.expectSameOutcomes([Array(longSegment.utf8), Array(longSegment.utf8), Array(other.utf8)]) == 1)
    }

    @Test func nestedRecordsAreScannedInFullAndCheaply() {
        // Records with an object or array get no template; after a few tries the scanner
        // stops building one for every record (the backoff), and stays correct.
        let nested = (0..<600).map { Array(#"{"account_id":"a\#($0)","o":{"x":\#($0)},"arr":[1,2]}"#.utf8) }
        #expect(Self.expectSameOutcomes(nested) == 0)
        let scanner = JSONScanner(targets: Self.targets, jsonLines: true)
        for r in nested { _ = ScannerFastPathTests.scan(scanner, r) }
        #expect(scanner.template.pointee.backoff == 255)
        // A flat layout after them is picked up again within the backoff.
        let flat = (0..<600).map { Array(#"{"account_id":"a\#($0)","port":\#($0)}"#.utf8) }
        #expect(Self.expectSameOutcomes(nested + flat) > 300)
    }
}
