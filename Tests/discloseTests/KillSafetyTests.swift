import Foundation
import Testing

/// "No half-written results": an export killed with SIGKILL at any moment leaves nothing
/// at the --out path, nothing beside it that verifies, and does not stop a later export.
@Suite("Kill safety")
struct KillSafetyTests {
    /// Extra login records of the case 1 subject, inside the window, so that export
    /// scopes and encrypts for a while. Sized for debug builds (~7 MB/s): ~2 s per pass.
    static let extraBytes = 14 << 20

    @Test("SIGKILL during export at several moments: no bundle at --out, nothing that verifies; a later export succeeds")
    func killedExportLeavesNothingThatVerifies() throws {
        let ws = try Workspace("disclose-kill")
        let line = #"{"account_id":"acc_1042","ts":"2026-10-15T12:00:00Z","ip":"198.51.100.7","port":443,"user_agent":"Mozilla/5.0 (X11; Linux x86_64) kill-test","session_id":"s_0123456789abcdef01234567","device":{"os":"Linux","model":"PC"}}"# + "\n"
        let big = String(repeating: line, count: Self.extraBytes / line.utf8.count)
        try big.write(toFile: ws.example("data/logins/2026-10-big.jsonl"), atomically: false, encoding: .utf8)

        // plan runs the same scoping as export: its duration calibrates the kill delays.
        let t0 = Date()
        let plan = try ws.approvedPlan()
        let planSeconds = Date().timeIntervalSince(t0)
        let fractions = [0.02, 0.15, 0.35, 0.6]
        var killedMidway = 0
        for (i, f) in fractions.enumerated() {
            let out = ws.output("bundle")
            let started = try Run.start(Binary.disclose, ["export", plan, "--out", out], in: ws.examples)
            usleep(useconds_t(max(0.005, planSeconds * f) * 1_000_000))
            kill(started.pid, SIGKILL)
            let r = started.wait()
            if r.signalled {
                #expect(r.status == SIGKILL)
                killedMidway += 1
                #expect(!Files.exists(out), "kill \(i) after \(f) × \(planSeconds) s: nothing at the --out path")
            } else {
                // Finished before the signal: then it must be a complete, valid bundle.
                #expect(r.status == 0, "\(r)")
                let v = try Run.disclose(["verify", out, "--signer", ws.key("DEMO-provider.pub")], in: ws.out)
                #expect(v.status == 0, "\(v)")
                try FileManager.default.removeItem(atPath: out)
            }
            // Whatever the kill left beside it (a .partial directory) does not verify.
            for name in Files.names(ws.out) where name.contains("bundle") {
                let leftover = ws.output(name)
                #expect(name.hasPrefix(".bundle.partial-"), "only a hidden temporary directory may remain: \(name)")
                let v = try Run.disclose(["verify", leftover, "--signer", ws.key("DEMO-provider.pub")], in: ws.out)
                #expect(v.status == 1, "a killed export's leftover must not verify:\n\(v)")
            }
        }
        #expect(killedMidway >= 2, "the export ran too fast for the kill delays (plan took \(planSeconds) s); enlarge extraBytes")

        // The audit log is still intact enough to be extended, and a new export succeeds.
        let out = ws.output("bundle")
        let e = try ws.disclose("export", plan, "--out", out)
        #expect(e.status == 0, "\(e)")
        let v = try Run.disclose(["verify", out, "--signer", ws.key("DEMO-provider.pub"), "--identity", ws.key("DEMO-authority-fr.age")], in: ws.out)
        #expect(v.status == 0, "\(v)")
        // The killed exports' partial directories (their processes are gone) were swept.
        #expect(Files.names(ws.out).filter { $0.hasPrefix(".bundle.partial-") }.isEmpty, "stale partial directories remain")
    }
}
