import DiscloseTestSupport
import Foundation
import Testing

/// One way of altering a bundle after it was sealed.
enum Tamper: Sendable, CustomTestStringConvertible {
    /// XOR one byte in the middle of the file.
    case flip(String)
    /// XOR a byte in line `n` (1-based) of the signature file: 2 signature, 3 trusted comment, 4 global signature.
    case flipSignatureLine(Int)
    case delete(String)
    /// A new file (not listed in any manifest).
    case add(String)
    /// The same file taken from another, equally valid bundle of the same plan.
    case swapPayload(String)
    /// Edit disclosure.json to drop an approval; nothing else.
    case stripApproval
    /// Drop an approval, fix the tag manifest and re-sign it with another key (stock minisign).
    case stripApprovalAndResignWithRogueKey
    /// Replace the provider signature by a valid signature of the same tag manifest by another key.
    case rogueSignature
    /// Alter a payload and update manifest-sha512.txt to match (the tag manifest still catches it).
    case alterPayloadAndItsManifestLine(String)
    /// A symbolic link to an identical copy in place of the file.
    case symlink(String)

    var testDescription: String {
        switch self {
        case .flip(let f): "flip a byte of \(f)"
        case .flipSignatureLine(let n): "flip a byte in line \(n) of the .minisig"
        case .delete(let f): "delete \(f)"
        case .add(let f): "add \(f)"
        case .swapPayload(let f): "swap \(f) with the other bundle's"
        case .stripApproval: "strip an approval from disclosure.json"
        case .stripApprovalAndResignWithRogueKey: "strip an approval, rehash, re-sign with another key"
        case .rogueSignature: "signature replaced by another key's"
        case .alterPayloadAndItsManifestLine(let f): "alter \(f) and its manifest line"
        case .symlink(let f): "symlink in place of \(f)"
        }
    }

    /// The check whose failure verify must report ("[FAIL] <check>: …"), and a detail
    /// the message must contain.
    var expected: (check: String, detail: String) {
        switch self {
        case .flip("tagmanifest-sha512.txt"): ("provider signature", "signature verification failed")
        case .flip("tagmanifest-sha512.txt.minisig"), .flipSignatureLine: ("provider signature", "tagmanifest-sha512.txt")
        case .flip(let f) where f.hasPrefix("data/"): (f, "differs from manifest-sha512.txt")
        case .flip(let f): (f, "differs from tagmanifest-sha512.txt")
        case .delete(let f) where f.hasPrefix("data/"): (f, "listed in manifest-sha512.txt but missing")
        case .delete(let f) where f.hasPrefix("tagmanifest"): (f, "missing")
        case .delete(let f): (f, "listed in tagmanifest-sha512.txt but missing")
        case .add(let f) where f.hasPrefix("data/"): ("payload completeness", "files not in the manifest: \(f)")
        case .add(let f): ("file tree", "unexpected file \(f)")
        case .swapPayload(let f): (f, "differs from manifest-sha512.txt")
        case .stripApproval: ("disclosure.json", "differs from tagmanifest-sha512.txt")
        case .stripApprovalAndResignWithRogueKey, .rogueSignature: ("provider signature", "key id")
        case .alterPayloadAndItsManifestLine: ("manifest-sha512.txt", "differs from tagmanifest-sha512.txt")
        case .symlink(let f): ("file tree", "\(f) is a symbolic link")
        }
    }

    static let bundleFiles = ["bagit.txt", "bag-info.txt", "manifest-sha512.txt", "tagmanifest-sha512.txt",
                              "tagmanifest-sha512.txt.minisig", "disclosure.json", "VERIFY.txt", "certificate.txt",
                              "data/accounts.jsonl.age", "data/logins.jsonl.age", "data/messages.jsonl.age",
                              "data/files.csv.age", "data/record.json.age"]

    static let all: [Tamper] = bundleFiles.map { .flip($0) } + [2, 3, 4].map { .flipSignatureLine($0) }
        + bundleFiles.map { .delete($0) }
        + [.add("extra.txt"), .add("data/extra.jsonl.age"), .add(".hidden")]
        + [.swapPayload("data/logins.jsonl.age"), .swapPayload("data/record.json.age")]
        + [.stripApproval, .stripApprovalAndResignWithRogueKey, .rogueSignature]
        + [.alterPayloadAndItsManifestLine("data/messages.jsonl.age")]
        + [.symlink("bagit.txt"), .symlink("disclosure.json"), .symlink("data/logins.jsonl.age")]

    /// Stock tools the forgery needs (minisign to sign, sha512sum to rehash).
    var tools: [StockTool] {
        switch self {
        case .stripApprovalAndResignWithRogueKey: [.minisign, .sha512sum]
        case .rogueSignature: [.minisign]
        case .alterPayloadAndItsManifestLine: [.sha512sum]
        default: []
        }
    }
}

@Suite("Tamper matrix")
struct TamperTests {
    @Test("a pristine copy of the fixture bundle verifies (control for the matrix)")
    func pristineCopyVerifies() throws {
        let fx = try TamperFixture.shared()
        let dir = try TempDir("disclose-tamper")
        try FileManager.default.copyItem(atPath: fx.bundleA, toPath: dir("bundle"))
        let v = try verify(dir("bundle"), fx, in: dir.path)
        #expect(v.status == 0, "\(v)")
    }

    @Test("verify exits 1, names what failed, reports ok:false and extracts nothing", arguments: Tamper.all)
    func tamperedBundleIsRejected(_ tamper: Tamper) throws {
        for tool in tamper.tools { guard try StockTool.require(tool) else { return } }
        let fx = try TamperFixture.shared()
        let dir = try TempDir("disclose-tamper")
        let bundle = dir("bundle")
        try FileManager.default.copyItem(atPath: fx.bundleA, toPath: bundle)
        try apply(tamper, to: bundle, fx, scratch: dir.path)

        let (check, detail) = tamper.expected
        // Text report.
        let v = try verify(bundle, fx, in: dir.path)
        #expect(v.status == 1, "\(v)")
        let failLines = v.stdout.split(separator: "\n").filter { $0.contains("[FAIL]") }.map(String.init)
        #expect(failLines.contains { $0.contains("[FAIL] \(check): ") && $0.contains(detail) },
                "expected a failed check '\(check)' mentioning '\(detail)':\n\(v)")
        #expect(v.stdout.contains("NOT VERIFIED"))
        #expect(!v.stdout.contains("VERIFIED: every check holds"))

        // JSON report.
        let j = try Run.disclose(["verify", bundle, "--signer", fx.workspace.key("DEMO-provider.pub"), "--json"], in: dir.path)
        #expect(j.status == 1, "\(j)")
        #expect(j.stdout.contains("\"ok\": false"))
        let report = try #require(Files.jsonObject(j.stdout), "verify --json prints JSON:\n\(j)")
        #expect(report["ok"] as? Bool == false)
        let checks = report["checks"] as? [[String: Any]] ?? []
        #expect(checks.contains { $0["check"] as? String == check && $0["ok"] as? Bool == false })

        // With an identity and --extract: still refused, and nothing is left extracted.
        let extract = dir("extracted")
        let x = try Run.disclose(["verify", bundle, "--signer", fx.workspace.key("DEMO-provider.pub"),
                                  "--identity", fx.workspace.key("DEMO-authority-fr.age"), "--extract", extract], in: dir.path)
        #expect(x.status == 1, "\(x)")
        #expect(!Files.exists(extract), "a failed verification leaves no extracted plaintext")
        // The same failure is named when payloads are hashed while they are decrypted.
        #expect(x.stdout.split(separator: "\n").contains { $0.contains("[FAIL] \(check): ") && $0.contains(detail) },
                "with an identity, expected a failed check '\(check)' mentioning '\(detail)':\n\(x)")

        if case .stripApprovalAndResignWithRogueKey = tamper {
            // Even an authority that trusted the forger's key would see the approvals fail.
            let r = try Run.disclose(["verify", bundle, "--signer", fx.roguePub], in: dir.path)
            #expect(r.status == 1, "\(r)")
            #expect(r.stdout.contains("[ok  ] provider signature"), "\(r)")
            #expect(r.stdout.contains("[FAIL] approvals: 1 valid approval(s); the policy requires 2"), "\(r)")
            #expect(r.stdout.contains("[FAIL] signing key: disclosure.json names a different signing key id"), "\(r)")
        }
    }

    private func verify(_ bundle: String, _ fx: TamperFixture, in dir: String) throws -> Run {
        // Run where no disclose.json is: the authority's situation (and no audit append).
        try Run.disclose(["verify", bundle, "--signer", fx.workspace.key("DEMO-provider.pub")], in: dir)
    }

    private func apply(_ tamper: Tamper, to bundle: String, _ fx: TamperFixture, scratch: String) throws {
        let fm = FileManager.default
        func path(_ f: String) -> String { bundle + "/" + f }
        switch tamper {
        case .flip(let f):
            var b = try Files.bytes(path(f))
            b[b.count / 2] ^= 0x01
            try Files.write(b, path(f))
        case .flipSignatureLine(let n):
            var b = try Files.bytes(path("tagmanifest-sha512.txt.minisig"))
            let starts = [0] + b.indices.filter { b[$0] == 0x0A }.map { $0 + 1 }
            let (start, end) = (starts[n - 1], starts[n] - 1)
            // A byte of the payload of the line, past any "trusted comment: " prefix.
            let i = n == 3 ? start + "trusted comment: ".utf8.count + 10 : (start + end) / 2
            b[i] = b[i] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            try Files.write(b, path("tagmanifest-sha512.txt.minisig"))
        case .delete(let f):
            try fm.removeItem(atPath: path(f))
        case .add(let f):
            try Files.write(Array("not part of the sealed bundle\n".utf8), path(f))
        case .swapPayload(let f):
            try fm.removeItem(atPath: path(f))
            try fm.copyItem(atPath: fx.bundleB + "/" + f, toPath: path(f))
        case .stripApproval:
            try stripApproval(bundle)
        case .stripApprovalAndResignWithRogueKey:
            try stripApproval(bundle)
            try rehash(bundle, manifest: "tagmanifest-sha512.txt", entry: "disclosure.json")
            try resign(bundle, fx)
        case .rogueSignature:
            try resign(bundle, fx)
        case .alterPayloadAndItsManifestLine(let f):
            var b = try Files.bytes(path(f))
            b[b.count - 20] ^= 0x01
            try Files.write(b, path(f))
            try rehash(bundle, manifest: "manifest-sha512.txt", entry: f)
        case .symlink(let f):
            let copy = scratch + "/outside-" + (f as NSString).lastPathComponent
            try fm.copyItem(atPath: path(f), toPath: copy)
            try fm.removeItem(atPath: path(f))
            try fm.createSymbolicLink(atPath: path(f), withDestinationPath: copy)
        }
    }

    /// Removes the last approval from disclosure.json (valid JSON, otherwise unchanged).
    private func stripApproval(_ bundle: String) throws {
        let p = bundle + "/disclosure.json"
        let data = try Data(contentsOf: URL(fileURLWithPath: p))
        var doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var approvals = try #require(doc["approvals"] as? [Any])
        try #require(approvals.count == 2)
        approvals.removeLast()
        doc["approvals"] = approvals
        try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: p))
    }

    /// Rewrites `entry`'s line of a manifest with the file's current SHA-512.
    private func rehash(_ bundle: String, manifest: String, entry: String) throws {
        let s = try Run.command("sha512sum", [entry], in: bundle)
        try #require(s.status == 0, "\(s)")
        let newLine = String(s.stdout.split(separator: "\n")[0])
        let p = bundle + "/" + manifest
        let lines = try String(contentsOfFile: p, encoding: .utf8).split(separator: "\n").map { l in
            l.hasSuffix("  " + entry) ? newLine : String(l)
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: p, atomically: true, encoding: .utf8)
    }

    /// Signs the bundle's tag manifest with the rogue key (stock minisign, as a forger would).
    private func resign(_ bundle: String, _ fx: TamperFixture) throws {
        let sig = bundle + "/tagmanifest-sha512.txt.minisig"
        try FileManager.default.removeItem(atPath: sig)
        let m = try Run.command("minisign", ["-S", "-s", fx.rogueKey, "-m", "tagmanifest-sha512.txt", "-x", sig,
                                             "-t", "timestamp:0\tfile:tagmanifest-sha512.txt"], in: bundle)
        try #require(m.status == 0, "\(m)")
        // The forgery itself is well-formed: stock minisign accepts it with the rogue key.
        let check = try Run.command("minisign", ["-Vm", "tagmanifest-sha512.txt", "-p", fx.roguePub], in: bundle)
        try #require(check.status == 0, "\(check)")
    }
}
