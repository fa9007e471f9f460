import DiscloseTestSupport
import Foundation
import Testing

/// "Secrets stay secret" (issue 8): secret files with loose permissions are refused, and
/// secret and withheld values never reach stdout, stderr, `--json`, the audit log, plan
/// files or the bundle's clear files — checked by planting marker values and grepping
/// everything a series of runs (succeeding and failing on purpose) wrote.
@Suite("Secret hygiene")
struct SecretHygieneTests {
    @Test("secret key, identity, pseudonym secret and passphrase files readable by group or others are refused, exit 2")
    func loosePermissionsRefused() throws {
        let ws = try Workspace("disclose-hygiene")
        let plan = try ws.approvedPlan(reviewers: ["DEMO-reviewer-legal.key"])
        for mode: mode_t in [0o640, 0o604, 0o644] {
            #expect(chmod(ws.key("DEMO-reviewer-privacy.key"), mode) == 0)
            let a = try ws.disclose("approve", plan, "--key", ws.key("DEMO-reviewer-privacy.key"))
            #expect(a.status == 2 && a.stderr.contains("readable by group or others"), "mode \(String(mode, radix: 8)):\n\(a)")
        }
        #expect(chmod(ws.key("DEMO-reviewer-privacy.key"), 0o600) == 0)
        #expect(try ws.disclose("approve", plan, "--key", ws.key("DEMO-reviewer-privacy.key")).status == 0)

        // The pseudonym secret (plan and export read it).
        #expect(chmod(ws.key("DEMO-pseudonym.secret"), 0o644) == 0)
        let p = try ws.disclose("plan", Workspace.request(Workspace.case1))
        #expect(p.status == 2 && p.stderr.contains("DEMO-pseudonym.secret") && p.stderr.contains("readable by group or others"), "\(p)")
        #expect(chmod(ws.key("DEMO-pseudonym.secret"), 0o600) == 0)

        // The provider signing key (export).
        #expect(chmod(ws.key("DEMO-provider.key"), 0o640) == 0)
        let e = try ws.disclose("export", plan, "--out", ws.output("bundle"))
        #expect(e.status == 2 && e.stderr.contains("DEMO-provider.key") && e.stderr.contains("readable by group or others"), "\(e)")
        #expect(!Files.exists(ws.output("bundle")))
        #expect(chmod(ws.key("DEMO-provider.key"), 0o600) == 0)

        // An age identity (verify --identity, decrypt).
        let bundle = try ws.exportedBundle(plan: plan)
        #expect(chmod(ws.key("DEMO-authority-fr.age"), 0o644) == 0)
        let v = try Run.disclose(["verify", bundle, "--signer", ws.key("DEMO-provider.pub"), "--identity", ws.key("DEMO-authority-fr.age")], in: ws.out)
        #expect(v.status == 2 && v.stderr.contains("readable by group or others"), "\(v)")

        // A passphrase file (keygen).
        try Files.write(Array("correct horse\n".utf8), ws.output("pass"))
        #expect(chmod(ws.output("pass"), 0o644) == 0)
        let k = try ws.disclose("keygen", "signing", "--out", ws.output("k"), "--passphrase-file", ws.output("pass"))
        #expect(k.status == 2 && k.stderr.contains("readable by group or others"), "\(k)")
        #expect(!Files.exists(ws.output("k.key")) && !Files.exists(ws.output("k.pub")))
    }

    static let withheldMarker = "ZZWITHHELD7f3a9c"
    static let passphraseMarker = "ZZPASSPHRASE51e0b2"
    static let wrongPassphraseMarker = "ZZWRONGPASS88d1"

    @Test("marker values in withheld fields, a passphrase and the secret files never appear in any output, log, plan or bundle file")
    func markersNeverLeak() throws {
        let ws = try Workspace("disclose-hygiene")
        let m = Self.withheldMarker
        // Case 1 asks for traffic and identification data: a message's subject and body
        // (content), and an account's password hash (never) are withheld for the subject.
        try Files.append(#"{"account_id":"acc_1042","sent_at":1790805600000,"from":"julien.marchetti@mail.example","to":["x@mail.example"],"subject":"\#(m) s","body":"\#(m) b","size_bytes":1}"# + "\n",
                         ws.example("data/messages.jsonl"))
        try Files.append(#"{"account_id":"acc_1042","created":"2020-01-01T00:00:00Z","email":"julien.marchetti@mail.example","password_hash":"\#(m)","risk_score":0.1,"secret_note":"\#(m)"}"# + "\n",
                         ws.example("data/accounts.jsonl"))

        // A passphrase-protected reviewer key; its passphrase is a marker.
        try Files.write(Array("\(Self.passphraseMarker)\n".utf8), ws.output("pass"))
        try Files.write(Array("\(Self.wrongPassphraseMarker)\n".utf8), ws.output("wrong"))
        #expect(chmod(ws.output("pass"), 0o600) == 0 && chmod(ws.output("wrong"), 0o600) == 0)
        var runs: [Run] = []
        func run(_ args: String..., expect status: Int32?) throws {
            let r = try Run.disclose(args, in: ws.examples)
            if let status { #expect(r.status == status && !r.signalled, "\(r)") }
            runs.append(r)
        }
        try run("keygen", "signing", "--out", ws.output("reviewer"), "--passphrase-file", ws.output("pass"), expect: 0)

        let plan = ws.output("plan.json")
        try run("plan", Workspace.request(Workspace.case1), expect: 0)
        try run("plan", Workspace.request(Workspace.case1), "--json", expect: 0)
        try run("plan", Workspace.request(Workspace.case1), "--out", plan, expect: 0)
        try run("approve", plan, "--key", ws.key("DEMO-reviewer-legal.key"), expect: 0)
        // Failing on purpose: wrong passphrase; a key the policy does not trust.
        try run("approve", plan, "--key", ws.output("reviewer.key"), "--passphrase-file", ws.output("wrong"), expect: 2)
        try run("approve", plan, "--key", ws.output("reviewer.key"), "--passphrase-file", ws.output("pass"), expect: nil)
        // Export refused: one approval missing (the untrusted one does not count).
        try run("export", plan, "--out", ws.output("refused"), expect: nil)
        try run("approve", plan, "--key", ws.key("DEMO-reviewer-privacy.key"), expect: 0)
        let bundle = ws.output("bundle")
        try run("export", plan, "--out", bundle, expect: 0)
        try run("verify", bundle, "--signer", ws.key("DEMO-provider.pub"), "--identity", ws.key("DEMO-authority-fr.age"), expect: 0)
        try run("verify", bundle, "--signer", ws.key("DEMO-provider.pub"), "--identity", ws.key("DEMO-authority-fr.age"), "--json", expect: 0)
        // Wrong identity, and a tampered copy.
        try run("verify", bundle, "--signer", ws.key("DEMO-provider.pub"), "--identity", ws.key("DEMO-authority-us.age"), expect: nil)
        let tampered = ws.output("tampered")
        try FileManager.default.copyItem(atPath: bundle, toPath: tampered)
        try Files.append("\n", tampered + "/disclosure.json")
        try run("verify", tampered, "--signer", ws.key("DEMO-provider.pub"), "--identity", ws.key("DEMO-authority-fr.age"), "--json", expect: 1)
        // Export after the data changed: refused, the plan is no longer the approved one.
        try Files.append(#"{"account_id":"acc_1042","sent_at":1790805600001,"from":"a@b","subject":"\#(m) late"}"# + "\n", ws.example("data/messages.jsonl"))
        try run("export", plan, "--out", ws.output("changed"), expect: 1)
        // A malformed record holding the marker: the error names the place, not the content.
        try Files.append(#"{"account_id":"acc_1042","sent_at":1790805600002,"subject":"\#(m) broken"#, ws.example("data/messages.jsonl"))
        try run("plan", Workspace.request(Workspace.case1), "--json", expect: 2)
        try run("status", expect: nil)
        try run("report", "--json", expect: nil)
        try run("audit", "verify", expect: 0)
        #expect(runs.count >= 18)

        // The secrets whose values must never show: the markers, the pseudonym secret,
        // the identity's secret key and the signing keys' secret lines.
        var secrets = [Self.withheldMarker, Self.passphraseMarker, Self.wrongPassphraseMarker]
        secrets.append(try String(contentsOfFile: ws.key("DEMO-pseudonym.secret"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        for f in ["DEMO-authority-fr.age", "DEMO-authority-us.age"] {
            secrets += try String(contentsOfFile: ws.key(f), encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("AGE-SECRET-KEY-") }.map(String.init)
        }
        for f in ["DEMO-provider.key", "DEMO-reviewer-legal.key"] {
            secrets += try String(contentsOfFile: ws.key(f), encoding: .utf8).split(separator: "\n").dropFirst().map(String.init)
        }
        #expect(secrets.count >= 7)

        for r in runs {
            for s in secrets { #expect(!r.output.contains(s), "secret in the output of \(r.command.dropFirst().joined(separator: " ")):\n\(r)") }
        }
        // Everything written: audit log, plans, signatures, every bundle file (clear and
        // encrypted), whatever the refused exports left.
        var written = [ws.example("state/audit.jsonl")]
        written += Files.tree(ws.out).filter { !$0.hasPrefix("pass") && !$0.hasPrefix("wrong") && !$0.hasPrefix("reviewer.key") }.map { ws.output($0) }
        #expect(written.contains(plan) && written.contains(bundle + "/disclosure.json"))
        for path in written {
            let bytes = try Files.bytes(path)
            for s in secrets {
                #expect(bytes.firstRange(of: Array(s.utf8)) == nil, "secret found in \(path)")
            }
        }
    }

    @Test("disclose runs with core dumps off (RLIMIT_CORE 0), even when started with an unlimited core limit")
    func noCoreFiles() throws {
        let ws = try Workspace("disclose-hygiene")
        // Enough data that plan runs for a while.
        let line = #"{"account_id":"acc_1042","ts":"2026-10-15T12:00:00Z","ip":"198.51.100.7","user_agent":"\#(Self.withheldMarker)"}"# + "\n"
        try String(repeating: line, count: (12 << 20) / line.utf8.count).write(toFile: ws.example("data/logins/2026-10-big.jsonl"), atomically: false, encoding: .utf8)
        let started = try Run.start("/bin/sh", ["-c", "ulimit -c unlimited; exec \"$0\" \"$@\"", Binary.disclose, "plan", Workspace.request(Workspace.case1)],
                                    in: ws.examples)
        // Read the limits of the running disclose (after exec and after its first lines ran).
        func coreLimit() -> [String]? {
            guard (try? String(contentsOfFile: "/proc/\(started.pid)/comm", encoding: .utf8))?.hasPrefix("disclose") == true,
                  let l = try? String(contentsOfFile: "/proc/\(started.pid)/limits", encoding: .utf8),
                  let line = l.split(separator: "\n").first(where: { $0.hasPrefix("Max core file size") }) else { return nil }
            return line.split(separator: " ").dropFirst(4).prefix(2).map(String.init)
        }
        var seen: [String]? = nil
        for _ in 0..<300 where started.process.isRunning {
            usleep(10_000)
            if let c = coreLimit() { seen = c; if c == ["0", "0"] { break } }
        }
        let r = started.wait()
        #expect(r.status == 0, "\(r)")
        try #require(seen != nil, "plan ended before its limits could be read")
        #expect(seen == ["0", "0"], "core file size limit of the running disclose: \(seen ?? [])")
    }
}
