import Foundation
import Testing
@testable import DiscloseKit

/// The audit log's tamper evidence: a modified, deleted or reordered entry breaks the chain
/// at a named entry; a truncated or rewritten tail is caught against a bundle's head.
@Suite struct AuditChainTests {
    /// A log of `n` entries in a fresh directory (the caller removes `dir`).
    static func makeLog(_ n: Int) throws -> (AuditLog, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-audit-\(UUID().uuidString)").path
        let log = AuditLog(path: dir + "/audit.jsonl")
        for i in 1...n {
            try log.append(event: i % 2 == 0 ? "planned" : "received", caseID: "C-\(i)",
                           time: Instant(nanoseconds: Int64(i) * 60_000_000_000), facts: [("verdict", .string("disclose"))])
        }
        return (log, dir)
    }

    static func lines(_ log: AuditLog) throws -> [String] {
        try String(contentsOfFile: log.path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    static func write(_ lines: [String], _ log: AuditLog) throws {
        try (lines.joined(separator: "\n") + "\n").write(toFile: log.path, atomically: true, encoding: .utf8)
    }

    @Test func intactLogVerifies() throws {
        let (log, dir) = try Self.makeLog(8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let v = try log.verify()
        #expect(v.problem == nil)
        #expect(v.entries == 8)
        #expect(v.head.sequence == 8)
    }

    @Test func modifiedEntryIsNamed() throws {
        let (log, dir) = try Self.makeLog(8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var lines = try Self.lines(log)
        lines[2] = lines[2].replacingOccurrences(of: "\"verdict\":\"disclose\"", with: "\"verdict\":\"refused\"")
        try Self.write(lines, log)
        let v = try log.verify()
        let problem = try #require(v.problem)
        #expect(problem.line == 4)
        #expect(problem.message.contains("entry 4 does not chain to entry 3"))
        #expect(v.entries == 3)
    }

    @Test func deletedEntryIsNamed() throws {
        let (log, dir) = try Self.makeLog(8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var lines = try Self.lines(log)
        lines.remove(at: 4)   // entry 5
        try Self.write(lines, log)
        let problem = try #require(try log.verify().problem)
        #expect(problem.line == 5)
        #expect(problem.message.contains("entry 5 is missing"))
    }

    @Test func reorderedEntriesAreNamed() throws {
        let (log, dir) = try Self.makeLog(8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var lines = try Self.lines(log)
        lines.swapAt(5, 6)   // entries 6 and 7
        try Self.write(lines, log)
        let v = try log.verify()
        let problem = try #require(v.problem)
        #expect(problem.line == 6)
        #expect(problem.message.contains("entry 6 is missing or moved"))
        #expect(v.entries == 5)
    }

    @Test func renumberedForgeryStillBreaksTheChain() throws {
        // Deleting an entry and renumbering the rest keeps the sequence but not the hashes.
        let (log, dir) = try Self.makeLog(6)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var lines = try Self.lines(log)
        lines.remove(at: 2)
        for i in 2..<lines.count {
            lines[i] = lines[i].replacingOccurrences(of: "{\"seq\":\(i + 2),", with: "{\"seq\":\(i + 1),")
        }
        try Self.write(lines, log)
        let problem = try #require(try log.verify().problem)
        #expect(problem.line == 3)
        #expect(problem.message.contains("entry 3 does not chain to entry 2"))
    }

    @Test func truncationIsDetectedAgainstABundleHead() throws {
        let (log, dir) = try Self.makeLog(8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let head = try log.append(event: "exported", caseID: "C-9", facts: [])   // the head a bundle records
        let bundle = dir + "/bundle"
        try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        let manifest = JSONOutput.object([("format", "disclose-bundle/1"),
                                          ("audit_head", .object([("sequence", .int(head.sequence)), ("sha512", .string(head.hash))]))])
        try manifest.pretty.write(toFile: bundle + "/disclosure.json", atomically: true, encoding: .utf8)
        let recorded = try AuditLog.recordedHead(bundle: bundle)
        #expect(recorded == head)
        #expect(try log.problem(against: recorded, verification: try log.verify()) == nil)

        // Cut the last three entries: the chain alone still verifies, the bundle's head does not.
        try Self.write(Array(try Self.lines(log).prefix(6)), log)
        let v = try log.verify()
        #expect(v.problem == nil)
        let problem = try #require(try log.problem(against: recorded, verification: v))
        #expect(problem.contains("truncated"))
        #expect(problem.contains("entry 9"))
        #expect(problem.contains("ends at entry 6"))

        // Re-grow the log to the same length with other entries: same sequence, other hash.
        for i in 7...9 { try log.append(event: "closed", caseID: "X-\(i)", facts: []) }
        let rewritten = try #require(try log.problem(against: recorded, verification: try log.verify()))
        #expect(rewritten.contains("entry 9 differs"))
    }

    @Test func appendRefusesADamagedTail() throws {
        let (log, dir) = try Self.makeLog(3)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: log.path))
        try h.seekToEnd()
        try h.write(contentsOf: Data("{\"seq\":4,\"time\"".utf8))
        try h.close()
        #expect(throws: InputError.self) { try log.append(event: "closed", caseID: "C", facts: []) }
    }
}
