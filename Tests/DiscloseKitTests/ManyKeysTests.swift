import Foundation
import Testing
@testable import DiscloseKit
@testable import Records

/// Records with very many members (issue 13.6): scanned in time linear in their size, or
/// refused at the documented cap on members per object — never a stalled plan.
struct ManyKeysTests {
    /// A record of account `Z9` with `n` members named by `key`, wrapped by `wrap`
    /// (nested objects), then one small subject record.
    static func bigRecord(_ n: Int, nested: Bool = false, key: (Int) -> String) -> String {
        var s = ""
        s.reserveCapacity(n * 16)
        for i in 0..<n { if i > 0 { s += "," }; s += "\"" + key(i) + "\":1" }
        let body = nested ? #""meta":{"# + s + "}" : s
        return #"{"account":"Z9","# + body + "}\n" + #"{"account":"A1","n":1}"# + "\n"
    }

    static func plainKey(_ i: Int) -> String { "k" + String(format: "%09d", i) }

    /// Scans `text` and returns the error, if any, and the time it took.
    static func timedScan(_ text: String) -> (InputError?, TimeInterval) {
        let t0 = Date()
        let e = expectInputError { _ = try scopeText(text, actions: ["account": .disclose, "n": .disclose]) }
        return (e, Date().timeIntervalSince(t0))
    }

    @Test func aRecordOf400kKeysIsRefusedQuicklyWithTheCapMessage() throws {
        let (e, t) = Self.timedScan(Self.bigRecord(400_000, key: Self.plainKey))
        let err = try #require(e)
        #expect(err.message.contains("more than 65536 members"))
        #expect(err.line == 1)
        #expect(t < 5)
    }

    @Test func theCapBoundaryTopLevelAndNested() throws {
        let cap = JSONScanner.maxMembers
        #expect(cap == 65_536)
        // The top level also holds "account": cap - 1 more keys make exactly cap members.
        let (ok, t) = Self.timedScan(Self.bigRecord(cap - 1, key: Self.plainKey))
        #expect(ok == nil)
        #expect(t < 5)
        let (over, _) = Self.timedScan(Self.bigRecord(cap, key: Self.plainKey))
        #expect(over?.message.contains("more than 65536 members") == true)
        let (nestedOK, _) = Self.timedScan(Self.bigRecord(cap, nested: true, key: Self.plainKey))
        #expect(nestedOK == nil)
        let (nestedOver, _) = Self.timedScan(Self.bigRecord(cap + 1, nested: true, key: Self.plainKey))
        #expect(nestedOver?.message.contains("more than 65536 members") == true)
        #expect(nestedOver?.line == 1)
    }

    /// Keys built to collide in the scanner's fast unkeyed key hash (`hashBytes`): each
    /// 16-byte block pair is chosen so that the hash state after it is the same for both
    /// choices, so `blocks` pairs give 2^blocks distinct keys with one hash.
    static func collidingKeys(blocks: Int) -> [String] {
        @inline(__always) func mix(_ h: UInt64, _ w: UInt64) -> UInt64 {
            var x = (h ^ w) &* 0xff51_afd7_ed55_8ccd
            x ^= x >> 32
            return x
        }
        func valid(_ b: UInt8) -> Bool { b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C }
        func word(_ bytes: [UInt8]) -> UInt64 { bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) } }
        var rng = SplitMix(seed: 7)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(16 * blocks)
        var pairs: [([UInt8], [UInt8])] = []
        while pairs.count < blocks {
            let a = (0..<8).map { _ in UInt8(0x41 + rng.int(0...25)) }
            let b = (0..<8).map { _ in UInt8(0x61 + rng.int(0...25)) }
            let delta = mix(state, word(a)) ^ mix(state, word(b))
            var c: [UInt8] = [], d: [UInt8] = []
            for i in 0..<8 {
                let di = UInt8(truncatingIfNeeded: delta >> UInt64(8 * i))
                guard let ci = (UInt8(0x20)...UInt8(0x7E)).first(where: { valid($0) && valid($0 ^ di) }) else { break }
                c.append(ci); d.append(ci ^ di)
            }
            guard c.count == 8 else { continue }
            pairs.append((a + c, b + d))
            state = mix(mix(state, word(a)), word(c))
        }
        var keys: [[UInt8]] = [[]]
        for (x, y) in pairs { keys = keys.flatMap { [$0 + x, $0 + y] } }
        return keys.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func keysCollidingInTheFastHashScanQuickly() throws {
        let keys = Self.collidingKeys(blocks: 14)
        #expect(keys.count == 16_384 && Set(keys).count == keys.count)
        // They really collide in the unkeyed hash the scanner uses for target matching.
        let hashes = Set(keys.map { k in Array(k.utf8).withUnsafeBufferPointer { JSONScanner.hashBytes($0.baseAddress!, 0, $0.count, $0.count) } })
        #expect(hashes.count == 1)
        let (e, t) = Self.timedScan(Self.bigRecord(keys.count, nested: true) { keys[$0] })
        #expect(e == nil)
        #expect(t < 5)
        // A duplicate at the end, written with an escape, is still found.
        let dup = keys[12_345].replacingOccurrences(of: "A", with: #"\u0041"#)
        let text = Self.bigRecord(keys.count + 1, nested: true) { $0 < keys.count ? keys[$0] : dup }
        let (e2, t2) = Self.timedScan(text)
        #expect(e2?.message.contains("duplicate key") == true)
        #expect(t2 < 5)
    }

    @Test func aBigObjectCutByTheBufferEndIsRescannedCleanly() throws {
        // The first scan stops for more bytes with a big object's table filled; the
        // rescan of the same record must not see those keys as duplicates.
        let keys = (0..<200).map(Self.plainKey)
        let record = Array(("{" + keys.map { "\"\($0)\":1" }.joined(separator: ",") + "}").utf8)
        let scanner = JSONScanner(targets: [], jsonLines: true)
        try record.withUnsafeBufferPointer { b in
            do {
                _ = try scanner.scanObject(b.baseAddress!, from: 0, to: b.count / 2)
                Issue.record("a half record must need more bytes")
            } catch let e as JSONScanError { #expect(e.truncated) }
            #expect(try scanner.scanObject(b.baseAddress!, from: 0, to: b.count) == b.count)
        }
    }
}
