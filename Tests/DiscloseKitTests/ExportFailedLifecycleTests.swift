import Foundation
import Testing
@testable import DiscloseKit

/// An export that fails after writing its `exported` entry appends `export_failed`, and
/// the case history then does not count that bundle as an answer.
@Suite("Failed exports in the case history")
struct ExportFailedLifecycleTests {
    func history(_ events: [(String, [(String, JSONOutput)])]) throws -> CaseHistory {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-expfail-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = AuditLog(path: dir + "/audit.jsonl")
        for (event, facts) in events { try log.append(event: event, caseID: "R-1", facts: facts) }
        let histories = try CaseLedger.load(log)
        #expect(histories.count == 1)
        return histories[0]
    }

    @Test("export_failed for the bundle that answered withdraws the answer; for another bundle it does not")
    func withdrawn() throws {
        let exported: [(String, JSONOutput)] = [("bundle_id", "b-1"), ("verdict", "disclose"), ("content_disclosed", false), ("received", "2026-11-14T20:00:00Z")]
        let failed = try history([("exported", exported), ("export_failed", [("bundle_id", "b-1")])])
        #expect(failed.disclosed == nil)
        #expect(failed.state != .disclosed)

        let other = try history([("exported", exported), ("export_failed", [("bundle_id", "b-2")])])
        #expect(other.disclosed != nil)
        #expect(other.state == .disclosed)
    }
}
