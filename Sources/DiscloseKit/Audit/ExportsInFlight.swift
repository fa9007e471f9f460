import Foundation

/// Exports that wrote their `exported` audit entry but have not yet placed their bundle.
///
/// An export logs `exported` before it signs the bundle (the bundle records the log's
/// head), and logs `export_failed` if it then fails. A process killed in between can log
/// nothing more, and its `exported` entry would stand for a bundle that never came into
/// place. So an export leaves a marker beside the log (`LOG.export-HOST-PID-BUNDLE`) from
/// just before its `exported` entry until just before it renames the bundle into place;
/// the next append to the log, by any command on the same host, finds the markers of
/// processes that are gone and logs `export_failed` for their bundles first.
extension AuditLog {
    private var markerPrefix: String { PathName.name(path) + ".export-" }
    private var directory: String { PathName.directory(path) }

    /// Leaves the marker of an export in flight; returns its path for `clearExportInFlight`.
    func markExportInFlight(bundleID: String, caseID: String) throws -> String {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let marker = directory + "/" + markerPrefix + "\(Self.hostName())-\(getpid())-\(bundleID)"
        let body = JSONOutput.object(AuditFact.members([(.caseID, .string(caseID)), (.bundleID, .string(bundleID))])).compact
        try AtomicFile.write(Array(body.utf8), to: marker, mode: 0o640, overwrite: true)
        return marker
    }

    /// Removes the marker: the export is about to place its bundle, or has logged its failure.
    func clearExportInFlight(_ marker: String) {
        unlink(marker)
    }

    /// Under the log's lock (`fd`): logs `export_failed` for every marker of a process on
    /// this host that no longer runs, then removes the marker.
    func settleExportsInFlight(_ fd: Int32) throws {
        let prefix = markerPrefix + Self.hostName() + "-"
        for name in AtomicFile.entriesOfGoneProcesses(dir: directory, prefix: prefix) {
            let pid = name.dropFirst(prefix.count).prefix { $0 != "-" }
            let marker = directory + "/" + name
            let node = (try? FileBytes.read(path: marker, limit: 4096)).flatMap { try? DocumentJSON.parse($0, file: marker) }
            if let caseID = node?[.caseID]?.string, let bundleID = node?[.bundleID]?.string {
                _ = try appendLocked(fd, event: CaseEvent.exportFailed.rawValue, caseID: caseID, time: .now, facts: AuditFact.members([
                    (.bundleID, .string(bundleID)),
                    (.reason, .string("the export process (pid \(pid)) ended before its bundle was placed")),
                ]))
            }
            unlink(marker)
        }
    }

    /// This host's name, so that a log on a shared file system is settled only for
    /// processes this host can see.
    static func hostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count - 1) == 0 else { return "localhost" }
        let name = buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return name.isEmpty ? "localhost" : name.replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: "/", with: "_")
    }
}
