import Foundation
import Testing
@testable import DiscloseKit
@testable import Records

/// The scanner's shortcuts — the remembered key shape of the record before, sixteen-byte
/// string runs, eight-byte digit runs, the small-set account check — must give exactly
/// the answers of the plain path: the same accepted records, the same captures, the same
/// errors at the same offsets.
struct ScannerFastPathTests {
    /// Outcome of one scan, comparable across scanners.
    enum Outcome: Equatable {
        case accepted(end: Int, captures: [String])
        case rejected(offset: Int, message: String, truncated: Bool)
    }

    static func scan(_ scanner: JSONScanner, _ bytes: [UInt8]) -> Outcome {
        bytes.withUnsafeBufferPointer { b in
            let base = b.baseAddress ?? UnsafePointer(bitPattern: 1)!
            do {
                let end = try scanner.scanObject(base, from: 0, to: b.count)
                let caps = scanner.captures.map { "\($0.target):\($0.kind):\($0.start)-\($0.end):\($0.escaped)" }
                return .accepted(end: end, captures: caps)
            } catch let error as JSONScanError {
                return .rejected(offset: error.offset, message: error.message, truncated: error.truncated)
            } catch {
                return .rejected(offset: -1, message: "\(error)", truncated: false)
            }
        }
    }

    static let targets = [fp("account_id"), fp("ts"), fp("o.x"), fp("arr[]"), fp("sixteen_bytes_ky")]

    /// Keys chosen around the shortcut's limits: lengths 1, 7–9, 15–17, escapes that
    /// decode to another key of the pool, multi-byte UTF-8.
    static let keyPool = [
        "account_id", "ts", "ip", "port", "a", "abcdefg", "abcdefgh", "abcdefghi", "fifteen_bytes_k",
        "sixteen_bytes_ky", "seventeen_bytes_k", "account\\u005fid", "t\\u0073", "é", "o", "arr",
    ]

    static func record(_ rng: inout SplitMix, shape: [String]) -> String {
        var members: [String] = []
        for key in shape {
            let value: String
            switch rng.next() % 9 {
            case 0: value = "\"" + String(repeating: "x", count: Int(rng.next() % 40)) + "\""
            case 1: value = "\"v\\\"" + String(repeating: "é", count: Int(rng.next() % 5)) + "\""
            case 2: value = String(rng.next() % 1_000_000_000_000)
            case 3: value = "-" + String(rng.next() % 1000) + "." + String(rng.next() % 100_000) + "e+7"
            case 4: value = "{\"x\":\"" + String(repeating: "y", count: Int(rng.next() % 20)) + "\",\"z\":[1,2]}"
            case 5: value = "[\"p\",\(rng.next() % 99),{\"q\":null}]"
            case 6: value = ["true", "false", "null"][Int(rng.next() % 3)]
            case 7: value = "\"2026-10-0\(rng.next() % 9 + 1)T12:00:00Z\""
            default: value = "\"acc_\(rng.next() % 100_000)\""
            }
            let space = rng.next() % 7 == 0 ? " " : ""
            members.append("\"\(key)\"\(space):\(space)\(value)")
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// Damages a record: truncates it, or changes, inserts or deletes one byte.
    static func mutate(_ bytes: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        guard !bytes.isEmpty else { return bytes }
        var b = bytes
        let i = Int(rng.next() % UInt64(b.count))
        let specials: [UInt8] = [0x22, 0x5C, 0x00, 0x0A, 0x20, 0x3A, 0x2C, 0x7D, 0x5D, 0x80, 0xC3, 0x31, 0x61]
        switch rng.next() % 4 {
        case 0: b.removeSubrange(i...)
        case 1: b[i] = specials[Int(rng.next() % UInt64(specials.count))]
        case 2: b.insert(specials[Int(rng.next() % UInt64(specials.count))], at: i)
        default: b.remove(at: i)
        }
        return b
    }

    @Test func rememberedShapeGivesTheAnswersOfAFreshScanner() {
        var rng = SplitMix(seed: 0xD15C105E)
        let warm = JSONScanner(targets: Self.targets, jsonLines: true)
        var shape = ["account_id", "ts", "ip", "port"]
        var accepted = 0, rejected = 0
        for round in 0..<6000 {
            // Mostly the same shape (the case the shortcut serves), with drift: a key
            // swapped, added, dropped, duplicated or written with escapes.
            switch rng.next() % 10 {
            case 0: shape[Int(rng.next() % UInt64(shape.count))] = Self.keyPool[Int(rng.next() % UInt64(Self.keyPool.count))]
            case 1 where shape.count < 40: shape.append(Self.keyPool[Int(rng.next() % UInt64(Self.keyPool.count))])
            case 2 where shape.count > 1: shape.remove(at: Int(rng.next() % UInt64(shape.count)))
            case 3: shape = ["account_id", "ts", "ip", "port"]
            default: break
            }
            var bytes = Array(Self.record(&rng, shape: shape).utf8)
            if round % 5 == 4 { bytes = Self.mutate(bytes, &rng) }
            let cold = JSONScanner(targets: Self.targets, jsonLines: true)
            let expected = Self.scan(cold, bytes)
            let got = Self.scan(warm, bytes)
            #expect(got == expected, "record \(round): \(String(decoding: bytes, as: UTF8.self))")
            if case .accepted = expected { accepted += 1 } else { rejected += 1 }
        }
        // Both kinds were exercised in quantity.
        #expect(accepted > 1000 && rejected > 1000)
    }

    @Test func duplicateOfARememberedKeyIsStillRejected() {
        let scanner = JSONScanner(targets: [fp("account_id")], jsonLines: true)
        guard case .accepted = Self.scan(scanner, Array(#"{"account_id":"A","ts":1,"ip":"x"}"#.utf8)) else {
            Issue.record("rejected a valid record")
            return
        }
        for dup in [#"{"account_id":"A","ts":1,"account_id":"B"}"#, #"{"account_id":"A","account\u005fid":"B"}"#,
                    #"{"account_id":"A","ts":1,"ip":"x","ts":2}"#, #"{"account_id":"A","ts":1,"ip":"x","ip":"y","z":0}"#] {
            guard case .rejected(_, let message, _) = Self.scan(scanner, Array(dup.utf8)) else {
                Issue.record("accepted \(dup)")
                continue
            }
            #expect(message == "duplicate key in an object")
        }
        // The remembered shape must not hide a second account id from the capture either.
        guard case .accepted(_, let caps) = Self.scan(scanner, Array(#"{"ts":1,"account_id":"C"}"#.utf8)) else {
            Issue.record("rejected a valid record")
            return
        }
        #expect(caps == ["0:string:22-23:false"])
    }

    @Test func stringRunsMatchAByteLoop() {
        let specials: [UInt8] = [0x22, 0x5C, 0x00, 0x1F, 0x0A, 0x80, 0xFF, 0xC3, 0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F]
        for length in 0...48 {
            for position in 0...length {
                for special in specials {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    if position < length { bytes[position] = special }
                    bytes.append(contentsOf: [0x22, 0x22, 0x22, 0x22])  // room past `end`, never read
                    let end = length
                    let naive = bytes.prefix(end).firstIndex { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 || $0 >= 0x80 } ?? end
                    let run = bytes.withUnsafeBufferPointer { JSONScanner.plainRun($0.baseAddress!, 0, end) }
                    #expect(run == naive, "length \(length), \(special) at \(position)")
                }
            }
        }
    }

    @Test func digitRunsMatchAByteLoop() {
        let others: [UInt8] = [0x2F, 0x3A, 0x2E, 0x65, 0x45, 0x2C, 0x7D, 0x20, 0x00, 0xFF, 0xBA, 0xB9, 0x80, 0x2D]
        for length in 0...24 {
            for position in 0...length {
                for other in others {
                    var bytes = (0..<length).map { UInt8(ascii: "0") + UInt8($0 % 10) }
                    if position < length { bytes[position] = other }
                    let naive = bytes.firstIndex { $0 < 0x30 || $0 > 0x39 } ?? length
                    let run = bytes.withUnsafeBufferPointer { b in
                        b.isEmpty ? 0 : JSONScanner.digitRun(b.baseAddress!, 0, length)
                    }
                    #expect(run == naive, "length \(length), \(other) at \(position)")
                }
            }
        }
    }

    @Test(arguments: [1, 3, 8, 9, 40])
    func accountSetMatchesASetOfArrays(size: Int) {
        var rng = SplitMix(seed: UInt64(size))
        let alphabet = Array("ab_1".utf8)
        func word() -> [UInt8] { (0..<Int(rng.next() % 12)).map { _ in alphabet[Int(rng.next() % 4)] } }
        let members = (0..<size).map { _ in String(decoding: word(), as: UTF8.self) }
        let set = ByteStringSet(members)
        let reference = Set(members.map { Array($0.utf8) })
        for _ in 0..<4000 {
            let candidate = rng.next() % 3 == 0 ? Array(members[Int(rng.next() % UInt64(size))].utf8) : word()
            let got = candidate.withUnsafeBytes { set.contains($0) }
            #expect(got == reference.contains(candidate), "\(String(decoding: candidate, as: UTF8.self))")
        }
    }
}
