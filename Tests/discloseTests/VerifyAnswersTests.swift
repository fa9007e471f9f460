import DiscloseTestSupport
import Foundation
import Testing

/// What `verify` answers when the bundle is fine but the question is not (issue 14.8), and
/// what it shows about the approvals (issue 13.9).
@Suite("Verify answers")
struct VerifyAnswersTests {
    @Test("a missing or mistyped bundle path, or a tar not unpacked, is a usage error naming the path (exit 2), not NOT VERIFIED")
    func missingBundleIsAUsageError() throws {
        let fx = try TamperFixture.shared()
        let dir = try TempDir("disclose-verify-answers")
        let missing = try Run.disclose(["verify", dir("no-such-bundle"), "--signer", fx.workspace.key("DEMO-provider.pub")], in: dir.path)
        #expect(missing.status == 2, "\(missing)")
        #expect(missing.stderr.contains("disclose: error: \(dir("no-such-bundle")): does not exist"), "\(missing)")
        #expect(!missing.stdout.contains("NOT VERIFIED"), "\(missing)")

        try Files.write(Array("not a bundle".utf8), dir("bundle.tar"))
        let tar = try Run.disclose(["verify", dir("bundle.tar"), "--signer", fx.workspace.key("DEMO-provider.pub"),
                                    "--identity", fx.workspace.key("DEMO-authority-fr.age"), "--extract", dir("x")], in: dir.path)
        #expect(tar.status == 2, "\(tar)")
        #expect(tar.stderr.contains("is not a directory") && tar.stderr.contains("disclose: hint: a tar bundle must be unpacked first"), "\(tar)")
        #expect(!Files.exists(dir("x")), "no extraction directory is made for a bundle that is not there")
    }

    @Test("a wrong identity: the bundle holds, the identity is not among its recipients — said so, with what to do (exit 2)")
    func wrongIdentityIsNotABadBundle() throws {
        let fx = try TamperFixture.shared()
        let dir = try TempDir("disclose-verify-answers")
        try FileManager.default.copyItem(atPath: fx.bundleA, toPath: dir("bundle"))
        let v = try Run.disclose(["verify", dir("bundle"), "--signer", fx.workspace.key("DEMO-provider.pub"),
                                  "--identity", fx.workspace.key("DEMO-authority-us.age"), "--extract", dir("x")], in: dir.path)
        #expect(v.status == 2, "\(v)")
        #expect(v.stdout.contains("NOT DECRYPTED: the signature, manifests and approvals hold"), "\(v)")
        #expect(!v.stdout.contains("Do not rely on this bundle"), "\(v)")
        #expect(v.stdout.contains("[ok  ] provider signature") && v.stdout.contains("[ok  ] approvals"), "\(v)")
        #expect(v.stderr.contains("is among the 2 recipient(s) of bundle"), "\(v)")
        #expect(v.stderr.contains("disclose: hint: the bundle's signature, manifests and approvals hold"), "\(v)")
        #expect(!Files.exists(dir("x")))

        // The same wrong identity on a damaged bundle: that is still NOT VERIFIED (exit 1).
        var b = try Files.bytes(dir("bundle") + "/data/files.csv.age")
        b[b.count / 2] ^= 1
        try Files.write(b, dir("bundle") + "/data/files.csv.age")
        let bad = try Run.disclose(["verify", dir("bundle"), "--signer", fx.workspace.key("DEMO-provider.pub"),
                                    "--identity", fx.workspace.key("DEMO-authority-us.age")], in: dir.path)
        #expect(bad.status == 1, "\(bad)")
        #expect(bad.stdout.contains("NOT VERIFIED") && bad.stdout.contains("Do not rely on this bundle"), "\(bad)")
    }

    @Test("approvals_required 0 in a provider-signed disclosure.json: verified, but flagged with a warning (text and JSON)")
    func zeroApprovalsRequiredIsFlagged() throws {
        guard try StockTool.require(.minisign, .sha512sum) else { return }
        let fx = try TamperFixture.shared()
        let dir = try TempDir("disclose-verify-answers")
        let bundle = dir("bundle")
        try FileManager.default.copyItem(atPath: fx.bundleA, toPath: bundle)
        try Reseal.edit(bundle, fx) { doc in doc["approvals_required"] = ["count": 0, "roles": [] as [String]] }
        let v = try Run.disclose(["verify", bundle, "--signer", fx.workspace.key("DEMO-provider.pub")], in: dir.path)
        #expect(v.status == 0, "\(v)")
        #expect(v.stdout.contains("required 0"), "\(v)")
        #expect(v.stdout.contains("[WARN] approvals: disclosure.json says no approval was required (approvals_required.count is 0)"), "\(v)")
        #expect(v.stdout.contains("VERIFIED: every check holds (1 warning(s) above)."), "\(v)")
        let j = try Run.disclose(["verify", bundle, "--signer", fx.workspace.key("DEMO-provider.pub"), "--json"], in: dir.path)
        let report = try #require(Files.jsonObject(j.stdout), "\(j)")
        #expect((report["warnings"] as? [String])?.first?.contains("approvals_required.count is 0") == true, "\(j)")
    }

    @Test("a trusted reviewer's statement signed with stock minisign in an approval slot: 'unrecognised statement by trusted key', not counted")
    func unrecognisedStatementInBundleIsReported() throws {
        guard try StockTool.require(.minisign, .sha512sum) else { return }
        let fx = try TamperFixture.shared()
        let dir = try TempDir("disclose-verify-answers")
        let bundle = dir("bundle")
        try FileManager.default.copyItem(atPath: fx.bundleA, toPath: bundle)
        // The plan the bundle was made from is the fixture's approved plan.
        let plan = fx.workspace.output("plan.json")
        let objection = try Reseal.stockSignature(of: plan, key: fx.workspace.key("DEMO-reviewer-privacy.key"),
                                                  comment: "I object: this plan discloses too much", scratch: dir)
        try Reseal.edit(bundle, fx) { doc in
            var approvals = doc["approvals"] as! [[String: Any]]
            let i = approvals.firstIndex { ($0["role"] as? String) == "privacy" }!
            approvals[i]["signature"] = objection
            doc["approvals"] = approvals
        }
        let v = try Run.disclose(["verify", bundle, "--signer", fx.workspace.key("DEMO-provider.pub")], in: dir.path)
        #expect(v.status == 1, "\(v)")
        #expect(v.stdout.contains("unrecognised statement by trusted key 4014F7A53C1151D2: I object: this plan discloses too much (not a Disclose approval; not counted)"), "\(v)")
        #expect(v.stdout.contains("[FAIL] approvals: 1 valid approval(s); the policy requires 2"), "\(v)")
    }

    @Test("export names a trusted reviewer's stock-minisign statement next to the plan as an unrecognised statement, and does not count it")
    func unrecognisedStatementBesidePlanIsReported() throws {
        guard try StockTool.require(.minisign) else { return }
        let ws = try Workspace("disclose-verify-answers")
        let plan = try ws.approvedPlan(reviewers: ["DEMO-reviewer-legal.key"])
        let dir = try TempDir("disclose-verify-answers")
        let objection = try Reseal.stockSignature(of: plan, key: ws.key("DEMO-reviewer-privacy.key"), comment: "objection\u{1B}[2J: needs a warrant", scratch: dir)
        try Files.write(Array(objection.utf8), plan + ".4014F7A53C1151D2.minisig")
        let e = try ws.disclose("export", plan, "--out", ws.output("bundle"))
        #expect(e.status == 1, "\(e)")
        #expect(e.output.contains("unrecognised statement by trusted key 4014F7A53C1151D2 (DEMO privacy reviewer (Keys/DEMO-reviewer-privacy.pub), privacy): objection?[2J: needs a warrant — not a Disclose approval; not counted"), "\(e)")
        #expect(!e.output.contains("\u{1B}"), "control characters of a comment are not printed")
        #expect(!Files.exists(ws.output("bundle")))
    }
}

/// Re-sealing a bundle as its provider would (stock minisign with the provider's key):
/// what a provider-signed bundle with unusual contents looks like to `verify`.
enum Reseal {
    /// Edits disclosure.json, rehashes its tag-manifest line and re-signs the tag manifest.
    static func edit(_ bundle: String, _ fx: TamperFixture, _ change: (inout [String: Any]) -> Void) throws {
        let p = bundle + "/disclosure.json"
        var doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: p))) as? [String: Any])
        change(&doc)
        try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: p))
        let s = try Run.command("sha512sum", ["disclosure.json"], in: bundle)
        try #require(s.status == 0, "\(s)")
        let manifest = bundle + "/tagmanifest-sha512.txt"
        let lines = try String(contentsOfFile: manifest, encoding: .utf8).split(separator: "\n").map { l in
            l.hasSuffix("  disclosure.json") ? String(s.stdout.split(separator: "\n")[0]) : String(l)
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: manifest, atomically: true, encoding: .utf8)
        let sig = manifest + ".minisig"
        try FileManager.default.removeItem(atPath: sig)
        let m = try Run.command("minisign", ["-S", "-s", fx.workspace.key("DEMO-provider.key"), "-m", "tagmanifest-sha512.txt", "-x", sig,
                                             "-t", "file:tagmanifest-sha512.txt"], in: bundle)
        try #require(m.status == 0, "\(m)")
    }

    /// A stock minisign signature of `file` (prehashed, as approvals are) with `comment`.
    static func stockSignature(of file: String, key: String, comment: String, scratch: TempDir) throws -> String {
        let out = scratch("statement-\(UUID().uuidString.prefix(6)).minisig")
        let m = try Run.command("minisign", ["-S", "-H", "-s", key, "-m", file, "-x", out, "-t", comment])
        try #require(m.status == 0, "\(m)")
        return try String(contentsOfFile: out, encoding: .utf8)
    }
}
