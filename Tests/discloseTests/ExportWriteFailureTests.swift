import DiscloseTestSupport
import Foundation
import Testing

/// A write that fails in the middle of a multi-megabyte payload, while the encryptor,
/// the digests and the file writes all have chunks in flight on their own threads: the
/// export must still fail cleanly (exit 2, the error named), leave no bundle and no
/// partial bundle, and a later export must succeed.
@Suite("Export write failure mid-stream")
struct ExportWriteFailureTests {
    /// A workspace whose case 1 subject has ~9 MB of login records in the window, so
    /// the logins payload is several of the writer's 1 MiB chunks long.
    static func largeWorkspace() throws -> (Workspace, plan: String) {
        let ws = try Workspace("disclose-midstream")
        var bytes: [UInt8] = []
        for i in 0..<100_000 {
            bytes += Array((#"{"account_id":"acc_1042","ts":"2026-10-15T12:\#(String(format: "%02d:%02d", (i / 60) % 60, i % 60))Z","ip":"198.51.100.\#(i % 250)"}"# + "\n").utf8)
        }
        try HostileInputTests.append(bytes, to: ws.example("data/logins/2026-10.jsonl"))
        let plan = try ws.approvedPlan()
        let doc = try #require(Files.jsonObject(String(contentsOfFile: plan, encoding: .utf8)))
        let logins = (doc["datasets"] as? [[String: Any]])?.first { $0["name"] as? String == "logins" }
        let size = ((logins?["output"] as? [String: Any])?["bytes"] as? Int) ?? 0
        #expect(size > 4 << 20, "the logins payload is several MiB (\(size) bytes)")
        return (ws, plan)
    }

    @Test("a file-size limit hit after 2 MiB of a ~9 MB payload: exit 2, nothing left, the next export verifies")
    func fileSizeLimitMidStream() throws {
        // Not under ThreadSanitizer: its runtime dies under a file-size limit (see HostileInputTests).
        guard ProcessInfo.processInfo.environment["DISCLOSE_TEST_SANITIZER"] != "thread" else { return }
        let (ws, plan) = try Self.largeWorkspace()
        let out = ws.output("bundle-fsize")
        let r = try Run.command("/bin/sh", ["-c", "ulimit -f 2048; trap '' XFSZ; exec \"$0\" \"$@\"", Binary.disclose, "export", plan, "--out", out],
                                in: ws.examples)
        HostileInputTests.expectCleanFailure(r, mentions: ["write failed", "File too large"], noOutput: [out])
        try HostileInputTests.expectNothingLeft(ws, plan: plan, dir: ws.out, out: out)
    }

    @Test("a 3 MiB file system filling up in the middle of the payload: exit 2, nothing left (root only)")
    func fullFileSystemMidStream() throws {
        let (ws, plan) = try Self.largeWorkspace()
        try HostileInputTests.expectExportFailsOnFullTmpfs(ws, plan: plan, name: "small", size: "3m")
    }
}
