import DiscloseTestSupport
import Foundation
import Testing
import DiscloseKit

/// "No half-written results": an export or keygen killed with SIGKILL or SIGINT at any
/// moment leaves nothing at the --out path, nothing beside it that verifies or loads, an
/// audit log that verifies, and does not stop a later export.
@Suite("Kill safety")
struct KillSafetyTests {
    /// Extra login records of the case 1 subject, inside the window, so that export
    /// scopes and encrypts for a while. Sized for debug builds (~7 MB/s): ~2 s per pass.
    static let extraBytes = 14 << 20

    /// Starts disclose with SIGINT at its default action: a test runner may start its
    /// children with SIGINT ignored, and an ignored SIGINT would test nothing. `env`
    /// execs disclose, so the pid is disclose's.
    static func start(_ arguments: [String], in directory: String) throws -> Run.Started {
        try Run.start("/usr/bin/env", ["--default-signal=INT", Binary.disclose] + arguments, in: directory)
    }

    @Test("SIGKILL or SIGINT during export at several moments (fixed and random): no bundle at --out, nothing that verifies, the audit log verifies; a later export succeeds",
          arguments: [SIGKILL, SIGINT])
    func killedExportLeavesNothingThatVerifies(_ signal: Int32) throws {
        let ws = try Workspace("disclose-kill")
        let line = #"{"account_id":"acc_1042","ts":"2026-10-15T12:00:00Z","ip":"198.51.100.7","port":443,"user_agent":"Mozilla/5.0 (X11; Linux x86_64) kill-test","session_id":"s_0123456789abcdef01234567","device":{"os":"Linux","model":"PC"}}"# + "\n"
        let big = String(repeating: line, count: Self.extraBytes / line.utf8.count)
        try big.write(toFile: ws.example("data/logins/2026-10-big.jsonl"), atomically: false, encoding: .utf8)

        // plan runs the same scoping as export: its duration calibrates the kill delays.
        let t0 = Date()
        let plan = try ws.approvedPlan()
        let planSeconds = Date().timeIntervalSince(t0)
        let fractions = [0.02, 0.15, 0.35, 0.6, Double.random(in: 0.01...0.9)]
        var killedMidway = 0
        var placed: Set<String> = []
        for (i, f) in fractions.enumerated() {
            let out = ws.output("bundle")
            // An export the signal came too late for is a real one: the next is a repeat (--again).
            let started = try Self.start(["export", plan, "--out", out, "--again", "--reason", "kill test: one plan, many exports"], in: ws.examples)
            usleep(useconds_t(max(0.005, planSeconds * f) * 1_000_000))
            kill(started.pid, signal)
            let r = started.wait()
            if r.signalled {
                #expect(r.status == signal)
                killedMidway += 1
                #expect(!Files.exists(out), "kill \(i) after \(f) × \(planSeconds) s: nothing at the --out path")
            } else {
                // Finished before the signal: then it must be a complete, valid bundle.
                #expect(r.status == 0, "\(r)")
                let v = try Run.disclose(["verify", out, "--signer", ws.key("DEMO-provider.pub")], in: ws.out)
                #expect(v.status == 0, "\(v)")
                placed.insert(try Self.bundleID(out))
                try FileManager.default.removeItem(atPath: out)
            }
            // Whatever the kill left beside it (a .partial directory) does not verify.
            for name in Files.names(ws.out) where name.contains("bundle") {
                let leftover = ws.output(name)
                #expect(name.hasPrefix(".bundle.partial-"), "only a hidden temporary directory may remain: \(name)")
                let v = try Run.disclose(["verify", leftover, "--signer", ws.key("DEMO-provider.pub")], in: ws.out)
                #expect(v.status == 1, "a killed export's leftover must not verify:\n\(v)")
            }
            let audit = try ws.disclose("audit", "verify")
            #expect(audit.status == 0, "the audit log verifies after kill \(i):\n\(audit)")
        }
        #expect(killedMidway >= 2, "the export ran too fast for the kill delays (plan took \(planSeconds) s); enlarge extraBytes")

        // The audit log is still intact enough to be extended, and a new export succeeds.
        let out = ws.output("bundle")
        let e = try ws.disclose("export", plan, "--out", out, "--again", "--reason", "kill test: one plan, many exports")
        #expect(e.status == 0, "\(e)")
        let v = try Run.disclose(["verify", out, "--signer", ws.key("DEMO-provider.pub"), "--identity", ws.key("DEMO-authority-fr.age")], in: ws.out)
        #expect(v.status == 0, "\(v)")
        // The killed exports' partial directories (their processes are gone) were swept.
        #expect(Files.names(ws.out).filter { $0.hasPrefix(".bundle.partial-") }.isEmpty, "stale partial directories remain")
        // Every `exported` entry of a bundle that never came into place is matched by an
        // `export_failed` (logged by the export itself on SIGINT, by the next append after
        // a SIGKILL), so no report counts a disclosure that did not happen.
        placed.insert(try Self.bundleID(out))
        let entries = try AuditLog(path: ws.example("state/audit.jsonl")).entries()
        let failed = Set(entries.filter { $0.event == "export_failed" }.compactMap { $0.string(.bundleID) })
        for e in entries where e.event == "exported" {
            let id = e.string(.bundleID) ?? "?"
            #expect(placed.contains(id) || failed.contains(id), "bundle \(id) was logged as exported but never placed, and no failure was logged")
        }
        #expect(!Files.names(ws.example("state")).contains { $0.contains(".export-") }, "no export marker remains")
    }

    static func bundleID(_ bundle: String) throws -> String {
        let d = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bundle + "/disclosure.json"))) as? [String: Any]
        return d?["bundle_id"] as? String ?? "?"
    }

    @Test("SIGKILL or SIGINT during keygen at random moments: never a partial key; what exists loads and matches", arguments: [SIGKILL, SIGINT])
    func killedKeygenLeavesNoHalfKey(_ signal: Int32) throws {
        let ws = try Workspace("disclose-kill-keygen")
        let pass = ws.output("pass")
        try Files.write(Array("kill test passphrase\n".utf8), pass)
        #expect(chmod(pass, 0o600) == 0)
        // How long a passphrase-protected keygen takes here (scrypt dominates).
        let t0 = Date()
        let calibrate = try ws.disclose("keygen", "signing", "--out", ws.output("calibrate"), "--passphrase-file", pass)
        try #require(calibrate.status == 0, "\(calibrate)")
        let seconds = Date().timeIntervalSince(t0)
        var killed = 0
        for i in 0..<8 {
            let kind = i % 4 == 3 ? "recipient" : "signing"
            let base = ws.output("k\(i)")
            let args = kind == "signing" ? ["keygen", "signing", "--out", base, "--passphrase-file", pass] : ["keygen", "recipient", "--out", base]
            let started = try Self.start(args, in: ws.examples)
            usleep(useconds_t(Double.random(in: 0...(seconds * 1.1)) * 1_000_000))
            kill(started.pid, signal)
            let r = started.wait()
            if r.signalled { killed += 1 } else { #expect(r.status == 0, "\(r)") }
            // Only the final names or hidden temporaries may exist; final names are whole.
            let mine = Files.names(ws.out).filter { $0.hasPrefix("k\(i).") || $0.hasPrefix(".k\(i).") }
            for name in mine {
                #expect(name.hasPrefix(".") || [kind == "signing" ? "k\(i).key" : "k\(i)", "k\(i).pub"].contains(name), "unexpected \(name)")
            }
            let secret = kind == "signing" ? base + ".key" : base
            if Files.exists(base + ".pub") { #expect(Files.exists(secret), "a public key is only written after its secret key") }
            if kind == "signing", Files.exists(secret) {
                // A whole, loadable key: approve with it reaches the policy check (the key
                // is not trusted), not a key-format error.
                let plan = try ws.approvedPlan(name: "plan\(i).json", reviewers: [])
                let a = try ws.disclose("approve", plan, "--key", secret, "--passphrase-file", pass)
                #expect(!a.stderr.contains("not a usable minisign secret key") && !a.stderr.contains("wrong passphrase"), "\(a)")
                if Files.exists(base + ".pub") {
                    let pub = try String(contentsOfFile: base + ".pub", encoding: .utf8)
                    #expect(pub.hasPrefix("untrusted comment: ") && pub.split(separator: "\n").count == 2, "whole public key file")
                }
            }
            if kind == "recipient", Files.exists(secret) {
                let text = try String(contentsOfFile: secret, encoding: .utf8)
                #expect(text.contains("AGE-SECRET-KEY-1") && text.hasSuffix("\n"), "whole identity file")
            }
            // Hidden temporaries are never taken for keys: a new keygen at the same path
            // succeeds unless a whole key is already there.
            if !Files.exists(secret) && !Files.exists(base + ".pub") {
                let again = try Run.disclose(args, in: ws.examples)
                #expect(again.status == 0, "\(again)")
                // …and sweeps the temporaries the killed keygen left behind.
                let left = Files.names(ws.out).filter { $0.hasPrefix(".k\(i).") }
                #expect(left.isEmpty, "stale temporaries remain: \(left)")
            }
        }
        #expect(killed >= 1, "keygen always finished before the signal (\(seconds) s); nothing was tested")
        // The log verifies; with no whole key ever made nothing was planned, and a log that
        // does not exist is a usage error (exit 2), never a pass.
        let audit = try ws.disclose("audit", "verify")
        #expect(audit.status == (Files.exists(ws.example("state/audit.jsonl")) ? 0 : 2), "\(audit)")
    }
}
