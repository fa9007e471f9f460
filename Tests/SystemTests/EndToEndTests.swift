import DiscloseTestSupport
import Foundation
import Testing

/// Case 1 through the whole flow, the bundle then judged by disclose verify AND by every
/// stock referee the authority may use instead (minisign, sha512sum, age, Python bagit).
@Suite("End to end")
struct EndToEndTests {
    @Test("case 1: plan → two approvals → export → verify --extract; minisign, sha512sum, age and bagit all accept the same bundle")
    func caseOneAcceptedByDiscloseAndEveryStockReferee() throws {
        guard try StockTool.require(.minisign, .sha512sum, .b2sum, .age, .bagit) else { return }
        let ws = try Workspace()
        let plan = try ws.approvedPlan()
        let bundle = try ws.exportedBundle(plan: plan)

        // disclose verify, with decryption and extraction.
        let extracted = ws.output("extracted")
        let v = try ws.disclose("verify", bundle, "--signer", ws.key("DEMO-provider.pub"),
                                "--identity", ws.key("DEMO-authority-fr.age"), "--extract", extracted)
        #expect(v.status == 0, "\(v)")
        #expect(v.stdout.contains("VERIFIED: every check holds."))
        #expect(!v.stdout.contains("[FAIL]"))
        #expect(v.stdout.contains("data/logins.jsonl.age: decrypted and authenticated; plaintext BLAKE2b-512 matches; 40 record(s) hold only declared fields"))
        #expect(v.stdout.contains("data/files.csv.age: decrypted and authenticated; plaintext BLAKE2b-512 matches; the header holds only declared columns"))

        // The bundle is exactly the BagIt layout of the design.
        let files = Files.tree(bundle)
        #expect(files == ["VERIFY.txt", "bag-info.txt", "bagit.txt", "certificate.txt", "data/accounts.jsonl.age", "data/files.csv.age",
                          "data/logins.jsonl.age", "data/messages.jsonl.age", "data/record.json.age", "disclosure.json",
                          "manifest-sha512.txt", "tagmanifest-sha512.txt", "tagmanifest-sha512.txt.minisig"])
        #expect(Files.tree(extracted) == ["accounts.jsonl", "files.csv", "logins.jsonl", "messages.jsonl", "record.json", "summary.html"])

        // Stock minisign over the tag manifest, with the provider's public key file.
        let m = try Run.command("minisign", ["-Vm", "tagmanifest-sha512.txt", "-H", "-p", ws.key("DEMO-provider.pub")], in: bundle)
        #expect(m.status == 0, "\(m)")
        #expect(m.output.contains("Signature and comment signature verified"))
        #expect(m.output.contains("request:FR-TJP-2026-EPOC-0117"))

        // sha512sum over both manifests, from inside the bundle (as VERIFY.txt says).
        for manifest in ["tagmanifest-sha512.txt", "manifest-sha512.txt"] {
            let s = try Run.command("sha512sum", ["-c", "--strict", manifest], in: bundle)
            #expect(s.status == 0, "\(s)")
            let listed = try String(contentsOfFile: bundle + "/" + manifest, encoding: .utf8).split(separator: "\n").count
            #expect(s.stdout.components(separatedBy: ": OK\n").count - 1 == listed, "every line of \(manifest) checked OK")
        }
        let tagListed = try String(contentsOfFile: bundle + "/tagmanifest-sha512.txt", encoding: .utf8)
        for tag in ["bagit.txt", "bag-info.txt", "manifest-sha512.txt", "disclosure.json", "VERIFY.txt", "certificate.txt"] {
            #expect(tagListed.contains("  \(tag)\n"), "tag manifest covers \(tag)")
        }

        // Stock age decrypts every payload to exactly the bytes disclose verify extracted.
        let ages = Files.tree(bundle + "/data").filter { $0.hasSuffix(".age") }
        #expect(ages.count == 5)
        for f in ages {
            let plain = ws.output("stock-" + String(f.dropLast(4)))
            let a = try Run.command("age", ["-d", "-i", ws.key("DEMO-authority-fr.age"), "-o", plain, "data/" + f], in: bundle)
            #expect(a.status == 0, "\(a)")
            // Stock age opens its output lazily: an empty plaintext (case 1 discloses no
            // account record) leaves no file at all.
            let stock = Files.exists(plain) ? try Files.bytes(plain) : []
            #expect(try stock == Files.bytes(extracted + "/" + String(f.dropLast(4))), "age and disclose agree on \(f)")
        }
        // Each payload's plaintext digest, as the approved plan and the disclosure record
        // give it, is the BLAKE2b-512 of what stock age decrypts: `age -d | b2sum`, and
        // Python's hashlib (an implementation independent of libsodium) agree.
        let planDoc = try #require(Files.jsonObject(String(contentsOfFile: plan, encoding: .utf8)))
        let record = try #require(Files.jsonObject(String(contentsOfFile: extracted + "/record.json", encoding: .utf8)))
        let recordDatasets = try #require(record["datasets"] as? [[String: Any]])
        let planDatasets = try #require(planDoc["datasets"] as? [[String: Any]])
        #expect(recordDatasets.count == 4 && planDatasets.count == 4)
        for (r, p) in zip(recordDatasets, planDatasets) {
            let file = try #require(r["file"] as? String)
            let digest = try #require(r["plaintext_blake2b512"] as? String)
            #expect(r["plaintext_sha512"] == nil)
            #expect((p["output"] as? [String: Any])?["blake2b512"] as? String == digest, "plan and record agree on \(file)")
            let b2 = try Run.command("/bin/sh", ["-c", "age -d -i \"$0\" \"$1\" | b2sum", ws.key("DEMO-authority-fr.age"), file], in: bundle)
            #expect(b2.status == 0, "\(b2)")
            #expect(b2.stdout == digest + "  -\n", "age -d | b2sum gives the record's digest for \(file)")
            let py = try Run.command("python3", ["-c", "import hashlib,sys; print(hashlib.blake2b(open(sys.argv[1],'rb').read(), digest_size=64).hexdigest())",
                                                 extracted + "/" + String((file as NSString).lastPathComponent.dropLast(4))])
            #expect(py.stdout == digest + "\n", "hashlib.blake2b agrees for \(file)")
        }

        // The US authority's identity is not a recipient of a French order.
        let wrong = try Run.command("age", ["-d", "-i", ws.key("DEMO-authority-us.age"), "data/logins.jsonl.age"], in: bundle)
        #expect(wrong.status != 0)

        // The Python bagit package validates the bag (manifests, Payload-Oxum, layout).
        let b = try Run.command("python3", ["-c", "import bagit,sys; bagit.Bag(sys.argv[1]).validate(); print('valid')", bundle])
        #expect(b.status == 0, "\(b)")
        #expect(b.stdout.contains("valid"))

        // What was extracted is the scoped data the plan promised: 40 logins, 31 messages.
        #expect(try String(contentsOfFile: extracted + "/logins.jsonl", encoding: .utf8).split(separator: "\n").count == 40)
        #expect(try String(contentsOfFile: extracted + "/messages.jsonl", encoding: .utf8).split(separator: "\n").count == 31)
        let messages = try String(contentsOfFile: extracted + "/messages.jsonl", encoding: .utf8)
        #expect(!messages.contains("\"body\""), "content was not requested: no message body leaves")
        for line in messages.split(separator: "\n") {
            let record = try #require(Files.jsonObject(String(line)))
            let correspondents = ((record["to"] as? [String]) ?? []) + ((record["cc"] as? [String]) ?? [])
            #expect(correspondents.allSatisfy { $0.hasPrefix("pn:") }, "third parties are pseudonymized: \(correspondents)")
        }
        let disclosure = try String(contentsOfFile: bundle + "/disclosure.json", encoding: .utf8)
        #expect(!disclosure.contains("julien.marchetti"), "disclosure.json (in the clear) holds no personal data")

        // The audit log recorded the whole story, and the chain holds.
        #expect(try ws.auditEvents() == ["planned", "approved", "approved", "exported", "verified"])
    }

    @Test("export --tar writes a tar of the bundle that tar -tf lists and that verifies once unpacked")
    func tarArchiveListsAndVerifies() throws {
        guard try StockTool.require(.tar) else { return }
        let ws = try Workspace()
        let plan = try ws.approvedPlan()
        let bundle = ws.output("sealed")
        let e = try ws.disclose("export", plan, "--out", bundle, "--tar")
        #expect(e.status == 0, "\(e)")
        let tarPath = bundle + ".tar"
        #expect(FileManager.default.fileExists(atPath: tarPath))
        let t = try Run.command("tar", ["-tf", tarPath])
        #expect(t.status == 0, "\(t)")
        let listed = Set(t.stdout.split(separator: "\n").map(String.init).filter { !$0.hasSuffix("/") })
        #expect(listed == Set(Files.tree(bundle).map { "sealed/" + $0 }))

        let unpacked = ws.output("unpacked")
        try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
        let x = try Run.command("tar", ["-xf", tarPath, "-C", unpacked])
        #expect(x.status == 0, "\(x)")
        let v = try Run.disclose(["verify", unpacked + "/sealed", "--signer", ws.key("DEMO-provider.pub")], in: ws.out)
        #expect(v.status == 0, "\(v)")

        // --out DIR/ (trailing slash) is the same bundle: the tar goes beside it as DIR.tar,
        // never into the sealed directory (it once became DIR/.tar and broke the bundle).
        let slashed = try ws.disclose("export", plan, "--out", ws.output("slashed") + "/", "--tar", "--again", "--reason", "second copy, as a tar")
        #expect(slashed.status == 0, "\(slashed)")
        #expect(FileManager.default.fileExists(atPath: ws.output("slashed.tar")))
        #expect(!Files.names(ws.output("slashed")).contains { $0.contains("tar") }, "\(Files.names(ws.output("slashed")))")
        let sv = try Run.disclose(["verify", ws.output("slashed"), "--signer", ws.key("DEMO-provider.pub")], in: ws.out)
        #expect(sv.status == 0, "\(sv)")
    }
}
