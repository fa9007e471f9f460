import Foundation
import Primitives
import Minisign

/// Export once: an approved plan is sealed into one bundle. A second export of the same
/// plan is refused and names the bundle the audit log records for the first, unless the
/// officer says why (`export --again --reason TEXT`), which the new `exported` entry keeps.
public enum ExportOnce {
    /// One earlier export of a plan, as the audit log records it.
    public struct Earlier: Sendable, Equatable {
        /// The bundle id.
        public var bundleID: String
        /// When the `exported` entry was written.
        public var time: Instant
        /// Where the bundle was placed (`location`, absent in entries older than this fact).
        public var location: String?
    }

    /// The exports of the plan `planSHA512` in case `caseID` that were not withdrawn by an
    /// `export_failed` entry, oldest first.
    public static func earlier(_ entries: [AuditEntry], caseID: String, planSHA512: String) -> [Earlier] {
        var out: [Earlier] = []
        for e in entries where e.caseID == caseID {
            switch CaseEvent(rawValue: e.event) {
            case .exported:
                guard e.string(.planSHA512) == planSHA512, let id = e.string(.bundleID) else { continue }
                out.append(Earlier(bundleID: id, time: e.time, location: e.string(.location)))
            case .exportFailed:
                if let id = e.string(.bundleID) { out.removeAll { $0.bundleID == id } }
            default: continue
            }
        }
        return out
    }

    /// Refuses (exit 1) a case that was voided, and a plan that was already exported unless
    /// `againReason` is given; returns the facts the `exported` entry adds (none the
    /// first time; the reason and the earlier bundle ids on a repeat).
    public static func check(log: AuditLog, caseID: String, planSHA512: String, againReason: String?) throws -> [(AuditFact, JSONOutput)] {
        try log.settleGoneExports()
        return try check(try log.entries(), caseID: caseID, planSHA512: planSHA512, againReason: againReason)
    }

    /// The same check over entries already read.
    static func check(_ entries: [AuditEntry], caseID: String, planSHA512: String, againReason: String?) throws -> [(AuditFact, JSONOutput)] {
        if let voided = CaseLedger.histories(entries.filter { $0.caseID == caseID }).first?.voided {
            throw Refusal("export refused: case \(caseID) was voided (\(voided.time): \(voided.reason)); a voided case discloses nothing",
                          hint: "a real request is a new case with its own request id")
        }
        let before = earlier(entries, caseID: caseID, planSHA512: planSHA512)
        guard let first = before.first else { return [] }
        guard let againReason else {
            throw Refusal("export refused: this plan was already exported as bundle \(first.bundleID) (\(first.time)\(first.location.map { ", at \($0)" } ?? ""))",
                          details: before.dropFirst().map { "also exported as bundle \($0.bundleID) (\($0.time))" },
                          hint: "to export it again, say why (the reason is logged):", next: .export(again: true))
        }
        return [(.again, .bool(true)), (.againReason, .string(againReason)),
                (.previousBundles, .array(before.map { .string($0.bundleID) }))]
    }
}

extension AuditLog {
    /// Appends the `exported` entry of plan `planSHA512` under the log's lock, checking
    /// export-once again there, so that of two exports of one plan racing each other the
    /// second is refused (it logs `export_failed`) unless it has `againReason`. The
    /// `again` facts are added here, from the log as it stands under the lock.
    func appendExported(caseID: String, planSHA512: String, againReason: String?, time: Instant, facts: [(AuditFact, JSONOutput)],
                        key: SecretKey) throws -> Head {
        try withLockedLog { fd in
            let again = try ExportOnce.check(try entries(), caseID: caseID, planSHA512: planSHA512, againReason: againReason)
            return try appendSignedLocked(fd, event: CaseEvent.exported.rawValue, caseID: caseID, time: time, facts: facts + again, key: key)
        }
    }

    /// Logs `export_failed` for exports whose process died before placing its bundle (their
    /// in-flight markers), so that an `exported` entry read next stands for a real bundle.
    func settleGoneExports() throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        let fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(file: path, message: "cannot open the audit log: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw InputError(file: path, message: "cannot lock the audit log") }
        defer { flock(fd, LOCK_UN) }
        try settleExportsInFlight(fd)
    }
}
