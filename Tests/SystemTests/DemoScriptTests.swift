import DiscloseTestSupport
import Foundation
import Testing

/// The README's demo path: scripts/demo.sh itself, run on a copy of the repository's
/// Examples/ and Keys/ (DISCLOSE_BIN = the binary under test, DISCLOSE_DEMO_OUT = a
/// scratch directory), so the script and this test cannot drift apart.
@Suite("Demo script")
struct DemoScriptTests {
    @Test("scripts/demo.sh runs plan, two approvals, export, verify and the stock-tool checks, exit 0")
    func demoScriptSucceeds() throws {
        guard try StockTool.require(.minisign, .sha512sum, .b2sum, .age, .bagit) else { return }
        let ws = try Workspace("disclose-demo")
        let out = ws.output("demo")
        let r = try Run.command("/bin/bash", [ws.root + "/scripts/demo.sh"], in: ws.root,
                                environment: ["DISCLOSE_BIN": Binary.disclose, "DISCLOSE_DEMO_OUT": out])
        #expect(r.status == 0 && !r.signalled, "\(r)")

        // Each step of the script did what the README says.
        for step in ["1. Compliance officer", "2. Legal and privacy reviewers", "3. Compliance officer: export",
                     "4. The authority verifies", "5. The authority verifies with stock tools", "Done."] {
            #expect(r.stdout.contains(step), "step '\(step)' ran")
        }
        #expect(r.stdout.contains("VERIFIED: every check holds."))
        #expect(r.output.contains("Signature and comment signature verified"))
        #expect(r.stdout.contains("data/record.json.age: OK"))
        #expect(r.stdout.contains("bagit: valid BagIt bag"))
        #expect(r.stdout.contains("b2sum: every payload matches its plaintext_blake2b512 in the disclosure record"))
        #expect(!r.stdout.contains("FAILED"))

        // The stock age decryptions equal what disclose verify extracted.
        let extracted = Files.tree(out + "/extracted").filter { $0 != "summary.html" }   // summary.html: disclose's own reading
        #expect(extracted == ["accounts.jsonl", "files.csv", "logins.jsonl", "messages.jsonl", "record.json"])
        for f in extracted {
            // Stock age opens its output lazily: an empty plaintext leaves no file.
            let stock = Files.exists(out + "/stock/" + f) ? try Files.bytes(out + "/stock/" + f) : []
            #expect(try stock == Files.bytes(out + "/extracted/" + f), "\(f)")
        }
        #expect(Set(Files.tree(out + "/stock")).isSubset(of: extracted))
        // It worked in the copy: the audit log is the copy's.
        #expect(try ws.auditEvents() == ["planned", "approved", "approved", "exported", "verified"])
    }
}
