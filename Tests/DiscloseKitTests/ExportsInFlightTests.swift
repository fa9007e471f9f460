import Foundation
import Testing
@testable import DiscloseKit

/// An export killed between its `exported` entry and placing its bundle cannot log its
/// failure; its marker makes the next append do it, so `status` and `report` never count
/// a bundle that does not exist.
struct ExportsInFlightTests {
    /// A process id that is certainly not running: a child that has exited and been reaped.
    static func deadPID() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    static func marker(_ log: AuditLog, host: String, pid: Int32, bundle: String, caseID: String) throws -> String {
        let path = log.path + ".export-\(host)-\(pid)-\(bundle)"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(#"{"case":"\#(caseID)","bundle_id":"\#(bundle)"}"#.utf8)))
        return path
    }

    @Test func aDeadExportsBundleIsLoggedAsFailedBeforeTheNextEntry() throws {
        let (log, dir) = try AuditChainTests.makeLog(2)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let host = AuditLog.hostName()
        try log.append(event: "exported", caseID: "C-9", facts: [("bundle_id", .string("B-dead")), ("verdict", .string("disclose"))])
        let dead = try Self.marker(log, host: host, pid: try Self.deadPID(), bundle: "B-dead", caseID: "C-9")
        // A process that still runs (this one, and a child) and another host's export are left alone.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sleep")
        child.arguments = ["30"]
        try child.run()
        defer { kill(child.processIdentifier, SIGKILL); child.waitUntilExit() }
        let running = try Self.marker(log, host: host, pid: child.processIdentifier, bundle: "B-running", caseID: "C-9")
        let own = try Self.marker(log, host: host, pid: getpid(), bundle: "B-own", caseID: "C-9")
        let remote = try Self.marker(log, host: "other_host", pid: try Self.deadPID(), bundle: "B-remote", caseID: "C-9")

        try log.append(event: "planned", caseID: "C-10", facts: [])

        let entries = try log.entries()
        #expect(entries.map(\.event).suffix(3) == ["exported", "export_failed", "planned"])
        #expect(entries[entries.count - 2].string(.bundleID) == "B-dead")
        #expect(entries[entries.count - 2].caseID == "C-9")
        #expect(try log.verify().problem == nil)
        #expect(!FileManager.default.fileExists(atPath: dead))
        for kept in [running, own, remote] { #expect(FileManager.default.fileExists(atPath: kept)) }
        // The case no longer counts as answered by the bundle that never came into place.
        let history = try #require(CaseLedger.histories(entries).first { $0.id == "C-9" })
        #expect(history.disclosed == nil)

        // Settled once: a further append logs nothing more for it.
        try log.append(event: "planned", caseID: "C-11", facts: [])
        #expect(try log.entries().filter { $0.event == "export_failed" }.count == 1)
    }
}
