import Foundation
import Testing
import Sodium
@testable import DiscloseKit

/// Delivery in parts: a 50 MiB bundle cut into 4 MiB parts round-trips through
/// `HI1DeliveryParts` and `HI1DeliveryAssembly`, and each damaged set of parts — a part
/// altered, missing, given twice, out of its place, or from another delivery — is refused
/// with its named reason, leaving no output.
@Suite("HI-1 delivery in parts")
struct HI1DeliveryPartsTests {
    /// One generated bundle and its parts, shared by the tests (generated once).
    struct Fixture: Sendable {
        var dir: String
        var parts: [String]
        var tarSHA512: String
        var tarBytes: Int
    }

    static let partSize = 4 << 20

    static let fixture: Fixture = {
        let dir = NSTemporaryDirectory() + "disclose-parts-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let bundle = dir + "/bundle-x"
        try! FileManager.default.createDirectory(atPath: bundle + "/data", withIntermediateDirectories: true)
        // 50 MiB of varied bytes (a SHA-512 chain: no two parts alike).
        var block = Array(SHA512.hash(Array("seed".utf8)))
        var big = [UInt8](); big.reserveCapacity(50 << 20)
        while big.count < 50 << 20 { block = Array(SHA512.hash(block)); for _ in 0..<64 { big += block } }
        try! Data(big).write(to: URL(fileURLWithPath: bundle + "/data/big.age"))
        try! Data("BagIt-Version: 1.0\n".utf8).write(to: URL(fileURLWithPath: bundle + "/bagit.txt"))
        var whole = SHA512()
        let bytes = try! Tar.stream(directory: bundle, prefix: "bundle-x") { whole.update($0) }
        let message = try! HI1Reader.read(FileBytes.read(path: HI1MappingTests.root + "/Examples/hi1/fr-tj-paris-epoc.xml", limit: 1 << 20), file: "m.xml")
        let task = HI1TaskOutcome(objectIdentifier: message.tasks[0].objectIdentifier, reference: message.tasks[0].reference, status: .disclosed)
        let parts = try! HI1DeliveryParts.write(bundlePath: bundle, bundleID: "1db374a7-8a29-4a29-b8b5-39681f2653e8", tasks: [task], request: message,
                                                from: message.receiver, now: Instant(nanoseconds: 0), partSize: partSize, out: dir + "/answer.xml")
        return Fixture(dir: dir, parts: parts, tarSHA512: Hex.encode(whole.finalize()), tarBytes: bytes)
    }()

    func refusal(_ paths: [String], out: String) -> String? {
        do { _ = try HI1DeliveryAssembly.assemble(paths: paths, out: out); return nil } catch let r as Refusal { return r.message } catch { return "\(error)" }
    }

    /// A copy of part `n`'s message with `edit` applied, in a fresh directory.
    func edited(_ n: Int, _ edit: (inout String) -> Void) throws -> String {
        let f = Self.fixture
        var text = try String(contentsOfFile: f.parts[n - 1], encoding: .utf8)
        edit(&text)
        let dir = f.dir + "/edit-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + (f.parts[n - 1] as NSString).lastPathComponent
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a 50 MiB bundle in 4 MiB parts: 13 messages, each under the reader's limit, reassembled byte for byte")
    func roundTrip() throws {
        let f = Self.fixture
        #expect(f.tarBytes > 50 << 20)
        #expect(f.parts.count == (f.tarBytes + Self.partSize - 1) / Self.partSize && f.parts.count == 13)
        #expect(f.parts.last!.hasSuffix("answer.part-0013.xml"))
        for p in f.parts {
            let size = try FileManager.default.attributesOfItem(atPath: p)[.size] as! Int
            #expect(size < StrictXML.Limits().maxBytes)
        }
        let part = try HI1DeliveryPart.read(FileBytes.read(path: f.parts[12], limit: 16 << 20), file: "p")
        #expect(part.sequence == 13 && part.last && part.manifest.total == 13 && part.manifest.wholeSHA512 == f.tarSHA512)
        let out = f.dir + "/whole-\(UInt32.random(in: 0...UInt32.max)).tar"
        let a = try HI1DeliveryAssembly.assemble(paths: f.parts.reversed(), out: out)
        #expect(a.parts == 13 && a.bytes == f.tarBytes && a.sha512 == f.tarSHA512)
        var check = SHA512()
        check.update(Array(try Data(contentsOf: URL(fileURLWithPath: out))))
        #expect(Hex.encode(check.finalize()) == f.tarSHA512)
        // Never overwritten.
        #expect(throws: InputError.self) { try HI1DeliveryAssembly.assemble(paths: f.parts, out: out) }
    }

    @Test("a part whose data was altered is refused (altered)")
    func altered() throws {
        let f = Self.fixture
        let bad = try edited(5) { text in
            let r = text.range(of: "<delivery:Delivery>")!
            let d = text.range(of: "<delivery:Data>", range: r.upperBound..<text.endIndex)!
            let i = text.index(d.upperBound, offsetBy: 100)
            text.replaceSubrange(i...i, with: text[i] == "A" ? "B" : "A")
        }
        var parts = f.parts; parts[4] = bad
        let out = f.dir + "/altered.tar"
        let m = refusal(parts, out: out)
        #expect(m?.hasPrefix("delivery refused (altered): part 5") == true, "\(m ?? "accepted")")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("a missing part is refused (missing), naming it")
    func missing() throws {
        let f = Self.fixture
        var parts = f.parts; parts.remove(at: 6)
        let m = refusal(parts, out: f.dir + "/missing.tar")
        #expect(m == "delivery refused (missing): part(s) 7 of 13 are missing")
        #expect(!FileManager.default.fileExists(atPath: f.dir + "/missing.tar"))
    }

    @Test("a part given twice is refused (duplicated)")
    func duplicated() throws {
        let f = Self.fixture
        let copy = try edited(4) { _ in }
        let m = refusal(f.parts + [copy], out: f.dir + "/dup.tar")
        #expect(m?.hasPrefix("delivery refused (duplicated): part 4 of 13 is given twice") == true, "\(m ?? "accepted")")
    }

    @Test("parts whose sequence numbers were swapped are refused (reordered)")
    func reordered() throws {
        let f = Self.fixture
        let two = try edited(2) { $0 = $0.replacingOccurrences(of: "<delivery:SequenceNumber>2<", with: "<delivery:SequenceNumber>3<") }
        let three = try edited(3) { $0 = $0.replacingOccurrences(of: "<delivery:SequenceNumber>3<", with: "<delivery:SequenceNumber>2<") }
        var parts = f.parts; parts[1] = two; parts[2] = three
        let m = refusal(parts, out: f.dir + "/reordered.tar")
        #expect(m?.hasPrefix("delivery refused (reordered): part 2") == true, "\(m ?? "accepted")")
        #expect(!FileManager.default.fileExists(atPath: f.dir + "/reordered.tar"))
    }

    @Test("a part of another delivery is refused (mixed)")
    func mixed() throws {
        let f = Self.fixture
        let other = try edited(6) { $0 = $0.replacingOccurrences(of: "1db374a7-8a29-4a29-b8b5-39681f2653e8", with: "2db374a7-8a29-4a29-b8b5-39681f2653e8") }
        var parts = f.parts; parts[5] = other
        #expect(refusal(parts, out: f.dir + "/mixed.tar")?.hasPrefix("delivery refused (mixed)") == true)
    }

    @Test("the part manifest reads back only in its exact form")
    func manifestText() {
        let m = HI1PartManifest(total: 3, partSize: 10, wholeBytes: 25, wholeSHA512: String(repeating: "a", count: 128), previousSHA512: nil)
        #expect(HI1PartManifest.parse(m.text) == m)
        #expect(HI1PartManifest.parse(m.text.replacingOccurrences(of: "total: 3", with: "total: 4")) == nil)
        #expect(HI1PartManifest.parse(m.text + "x") == nil)
        // Numbers at the edge of Int parse or are refused, never overflow.
        let huge = m.text.replacingOccurrences(of: "whole-bytes: 25", with: "whole-bytes: \(Int.max)")
            .replacingOccurrences(of: "part-size: 10", with: "part-size: \(Int.max)").replacingOccurrences(of: "total: 3", with: "total: 1")
        #expect(HI1PartManifest.parse(huge)?.total == 1)
        #expect(HI1PartManifest.parse(m.text.replacingOccurrences(of: "whole-bytes: 25", with: "whole-bytes: \(Int.max)")) == nil)
    }
}
