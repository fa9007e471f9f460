import DiscloseTestSupport
import DiscloseKit
import Foundation
import Minisign
import Sodium
import Testing

/// A reviewer's veto binds whether or not its file is presented (the audit log is
/// consulted), and `approve` refuses what it must: an untrusted key, a refused plan, and
/// a second decision unless it is an explicit, logged `--replace`.
@Suite("Reviewer decisions")
struct ReviewDecisionTests {
    /// Adds a second privacy reviewer (a fresh unencrypted key) to the workspace's policy;
    /// returns the key's path.
    private func addSecondPrivacyReviewer(_ ws: Workspace) throws -> String {
        let k = try ws.disclose("keygen", "signing", "--unencrypted", "--out", ws.output("privacy2"))
        try #require(k.status == 0, "\(k)")
        let pub = try String(contentsOfFile: ws.output("privacy2.pub"), encoding: .utf8).split(separator: "\n")[1]
        let policyPath = ws.example("policy.json")
        let policy = try String(contentsOfFile: policyPath, encoding: .utf8)
        let entry = "\"approvers\": [\n    {\"name\": \"Second privacy reviewer\", \"role\": \"privacy\", \"public_key\": \"\(pub)\"},"
        try #require(policy.contains("\"approvers\": ["))
        try policy.replacingOccurrences(of: "\"approvers\": [", with: entry).write(toFile: policyPath, atomically: true, encoding: .utf8)
        return ws.output("privacy2.key")
    }

    @Test("legal approves, privacy rejects, a second privacy reviewer approves; the plan copied elsewhere with only the approvals: export refuses (exit 1) naming the rejection from the audit log")
    func vetoBindsWithoutItsFile() throws {
        let ws = try Workspace()
        let privacy2 = try addSecondPrivacyReviewer(ws)
        let plan = try ws.approvedPlan(reviewers: ["DEMO-reviewer-legal.key"])
        let rej = try ws.disclose("approve", plan, "--key", ws.key("DEMO-reviewer-privacy.key"), "--reject", "--reason", "window too broad")
        #expect(rej.status == 0, "\(rej)")
        let a2 = try ws.disclose("approve", plan, "--key", privacy2)
        #expect(a2.status == 0, "\(a2)")

        // Only the two approvals travel with the copy.
        let elsewhere = ws.output("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: plan, toPath: elsewhere + "/plan.json")
        let rejectionFile = try #require(Files.names(ws.out).first { name in
            name.hasSuffix(".minisig") && (try? String(contentsOfFile: ws.output(name), encoding: .utf8))?.contains("verdict:reject") == true
        })
        for name in Files.names(ws.out) where name.hasPrefix("plan.json.") && name.hasSuffix(".minisig") && name != rejectionFile {
            try FileManager.default.copyItem(atPath: ws.output(name), toPath: elsewhere + "/" + name)
        }
        #expect(Files.names(elsewhere).filter { $0.hasSuffix(".minisig") }.count == 2)

        let e = try ws.disclose("export", elsewhere + "/plan.json", "--out", ws.output("bundle"))
        #expect(e.status == 1, "\(e)")
        #expect(e.stderr.contains("export refused: the approvals do not satisfy the policy"), "\(e)")
        #expect(e.stderr.contains("rejected by DEMO privacy reviewer"), "\(e)")
        #expect(e.stderr.contains("(privacy, key"), "\(e)")
        #expect(e.stderr.contains("recorded in the audit log (entry 3)"), "\(e)")
        #expect(e.stderr.contains("window too broad"), "\(e)")
        #expect(!Files.exists(ws.output("bundle")))
        #expect(try !ws.auditEvents().contains("exported"))

        // The same plan where it was made (rejection file present) is refused too.
        #expect(try ws.disclose("export", plan, "--out", ws.output("bundle")).status == 1)
    }

    @Test("approve with a key that is not among the policy's approvers: exit 1, names the policy file, signs nothing, logs nothing")
    func untrustedKeyRefused() throws {
        let ws = try Workspace()
        let plan = try ws.approvedPlan(reviewers: [])
        let k = try ws.disclose("keygen", "signing", "--unencrypted", "--out", ws.output("stranger"))
        try #require(k.status == 0, "\(k)")
        let r = try ws.disclose("approve", plan, "--key", ws.output("stranger.key"))
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.contains("is not among the approvers of the policy"), "\(r)")
        #expect(r.stderr.contains(ws.example("policy.json")), "\(r)")
        #expect(!Files.names(ws.out).contains { $0.hasSuffix(".minisig") })
        #expect(try ws.auditEvents() == ["planned"])
    }

    @Test("approving a plan whose verdict is refused: exit 1; rejecting it is allowed")
    func refusedPlanCannotBeApproved() throws {
        let ws = try Workspace()
        let plan = ws.output("refused.json")
        let p = try ws.disclose("plan", Workspace.request("05-refused-prosecutor-content"), "--out", plan)
        try #require(p.status == 1 && Files.exists(plan), "\(p)")
        let a = try ws.disclose("approve", plan, "--key", ws.key("DEMO-reviewer-legal.key"))
        #expect(a.status == 1, "\(a)")
        #expect(a.stderr.contains("verdict is 'refused'"), "\(a)")
        #expect(!Files.names(ws.out).contains { $0.hasSuffix(".minisig") })
        let r = try ws.disclose("approve", plan, "--key", ws.key("DEMO-reviewer-legal.key"), "--reject", "--reason", "refused anyway")
        #expect(r.status == 0, "\(r)")
    }

    @Test("a second decision needs --replace (exit 1 without), even after the file is deleted; --replace is logged and a replaced rejection no longer binds")
    func changingADecisionIsExplicitAndLogged() throws {
        let ws = try Workspace()
        let plan = try ws.approvedPlan(reviewers: ["DEMO-reviewer-legal.key"])
        let privacy = ws.key("DEMO-reviewer-privacy.key")
        #expect(try ws.disclose("approve", plan, "--key", privacy, "--reject", "--reason", "too wide").status == 0)
        let sig = try #require(Files.names(ws.out).first { name in
            (try? String(contentsOfFile: ws.output(name), encoding: .utf8))?.contains("verdict:reject") == true
        })
        let before = try Files.bytes(ws.output(sig))

        let twice = try ws.disclose("approve", plan, "--key", privacy)
        #expect(twice.status == 1, "\(twice)")
        #expect(twice.stderr.contains("already decided on this plan: reject"), "\(twice)")
        #expect(twice.stderr.contains("--replace"), "\(twice)")
        #expect(try Files.bytes(ws.output(sig)) == before, "the earlier decision is untouched")

        // Deleting the rejection file does not help: the log remembers.
        try FileManager.default.removeItem(atPath: ws.output(sig))
        let again = try ws.disclose("approve", plan, "--key", privacy)
        #expect(again.status == 1, "\(again)")
        #expect(again.stderr.contains("audit.jsonl, entry"), "\(again)")
        let blocked = try ws.disclose("export", plan, "--out", ws.output("bundle"))
        #expect(blocked.status == 1 && blocked.stderr.contains("rejected by"), "\(blocked)")

        // The explicit replacement: logged, and then export proceeds.
        let replaced = try ws.disclose("approve", plan, "--key", privacy, "--replace")
        #expect(replaced.status == 0, "\(replaced)")
        #expect(try ws.auditEvents() == ["planned", "approved", "rejected", "decision_replaced", "approved"])
        let log = try String(contentsOfFile: ws.example("state/audit.jsonl"), encoding: .utf8)
        #expect(log.contains("\"event\":\"decision_replaced\"") && log.contains("\"previous\":\"reject\""))
        let e = try ws.disclose("export", plan, "--out", ws.output("bundle"))
        #expect(e.status == 0, "\(e)")
    }

    @Test("--replace without an audit log at hand is a usage error (exit 2)")
    func replaceNeedsTheLog() throws {
        let ws = try Workspace()
        let plan = try ws.approvedPlan(reviewers: [])
        let r = try Run.disclose(["approve", plan, "--key", ws.key("DEMO-reviewer-legal.key"), "--replace"], in: ws.out)
        #expect(r.status == 2, "\(r)")
        #expect(r.stderr.contains("--replace needs the audit log"), "\(r)")
    }
}

/// `verify` applies the same approval rule as export: a rejection among a bundle's
/// approvals fails it, even when the provider itself sealed the bundle that way.
@Suite("Reviewer decisions in a bundle")
struct BundleRejectionTests {
    @Test("a bundle whose disclosure.json embeds a trusted reviewer's rejection (re-sealed with the provider key) fails verify, naming the rejection")
    func embeddedRejectionFailsVerify() throws {
        let ws = try Workspace()
        let plan = try ws.approvedPlan()
        let bundle = try ws.exportedBundle(plan: plan)
        // Replace the privacy approval by that reviewer's rejection of the same plan.
        let privacy = try KeyFiles.signingKey(path: ws.key("DEMO-reviewer-privacy.key")) { throw POSIXError(.EACCES) }
        let rejection = try Approval.sign(plan: try Files.bytes(plan), key: privacy.key, verdict: .reject, reason: "too wide")
        let disclosurePath = bundle + "/disclosure.json"
        var d = try #require(Files.jsonObject(try String(contentsOfFile: disclosurePath, encoding: .utf8)))
        var approvals = try #require(d["approvals"] as? [[String: Any]])
        let i = try #require(approvals.firstIndex { $0["role"] as? String == "privacy" })
        approvals[i]["signature"] = rejection.signature.fileContents
        approvals[i]["verdict"] = "reject"
        d["approvals"] = approvals
        let newDisclosure = try JSONSerialization.data(withJSONObject: d, options: [.prettyPrinted, .sortedKeys])
        try newDisclosure.write(to: URL(fileURLWithPath: disclosurePath))
        // Re-seal: the tag manifest line of disclosure.json, and the provider signature.
        let tagPath = bundle + "/tagmanifest-sha512.txt"
        let tag = try String(contentsOfFile: tagPath, encoding: .utf8).split(separator: "\n").map { line -> String in
            line.hasSuffix("  disclosure.json") ? "\(Hex.encode(SHA512.hash(Array(newDisclosure))))  disclosure.json" : String(line)
        }.joined(separator: "\n") + "\n"
        try tag.write(toFile: tagPath, atomically: true, encoding: .utf8)
        let provider = try KeyFiles.signingKey(path: ws.key("DEMO-provider.key")) { throw POSIXError(.EACCES) }
        let old = try Signature(fileContents: try String(contentsOfFile: tagPath + ".minisig", encoding: .utf8))
        let sig = try provider.key.sign(Array(tag.utf8), trustedComment: old.trustedComment)
        try sig.fileContents.write(toFile: tagPath + ".minisig", atomically: true, encoding: .utf8)

        let v = try Run.disclose(["verify", bundle, "--signer", ws.key("DEMO-provider.pub")], in: ws.out)
        #expect(v.status == 1, "\(v)")
        #expect(v.stdout.contains("[ok  ] provider signature"), "the re-seal itself is valid: \(v)")
        #expect(v.stdout.contains("this reviewer REJECTED the plan"), "\(v)")
        #expect(v.stdout.contains("[FAIL] approvals: rejected by approval"), "\(v)")
        #expect(v.stdout.contains("(privacy, key"), "\(v)")
        #expect(v.stdout.contains(": too wide"), "\(v)")
    }
}
