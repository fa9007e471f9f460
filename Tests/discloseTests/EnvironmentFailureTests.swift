import DiscloseTestSupport
import Foundation
import Testing

/// Failures of the machine rather than the input, seen from the command line: a clear
/// `disclose: error:` naming what failed and the OS reason, a hint about the machine,
/// exit 2, and no output left behind.
@Suite("Environment failures")
struct EnvironmentFailureTests {
    @Test("plan --json into /dev/full: exit 2 with the OS reason, not a silent success")
    func standardOutputOnAFullDevice() throws {
        let ws = try Workspace("disclose-envfail")
        let r = try Run.command("/bin/sh", ["-c", "exec \"$0\" \"$@\" > /dev/full", Binary.disclose, "plan",
                                            Workspace.request(Workspace.case1), "--json"], in: ws.examples)
        #expect(!r.signalled && r.status == 2, "\(r)")
        #expect(r.stderr.contains("disclose: error: <standard output>: write failed: No space left on device"), "\(r)")
        #expect(r.stderr.contains("disclose: hint: standard output goes to a full or failing device"), "\(r)")
    }

    @Test("plan --out into a full file system: the environment error and its hint, no plan and no temporary file (root: tmpfs)")
    func planOutOnAFullFileSystem() throws {
        let ws = try Workspace("disclose-envfail")
        let dir = ws.output("full")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        guard HostileInputTests.mountTmpfs(dir, options: "size=4k") else { return }
        defer { HostileInputTests.unmount(dir) }
        // Fill it to the last block, so the plan's first write fails.
        _ = try? Run.command("/bin/sh", ["-c", "cat /dev/zero > \"$0\"", dir + "/filler"])
        let plan = dir + "/plan.json"
        let r = try ws.disclose("plan", Workspace.request(Workspace.case1), "--out", plan)
        HostileInputTests.expectCleanFailure(r, mentions: ["plan.json", "No space left on device", "disclose: hint: free space on the volume of"],
                                             noOutput: [plan])
        #expect(Files.names(dir) == ["filler"], "no temporary file left: \(Files.names(dir))")
    }
}
