import DiscloseTestSupport
import Foundation
import Testing

/// HI-1 through the real binary: plan an HI-1 message, approve, export, answer, and check
/// the answer against ETSI's schemas with xmllint; import; hostile XML refused with exit 2.
@Suite("HI-1 requests and answers (CLI)")
struct HI1CLITests {
    static let wrapper = Binary.packageRoot + "/schemas/hi1/etsi-103120-wrapper.xsd"
    static let etsi = Binary.packageRoot + "/../shared/etsi/ts_103120_v1.12.1/schema/ts_103120_Core.xsd"
    static var canValidate: Bool {
        FileManager.default.fileExists(atPath: etsi) && FileManager.default.fileExists(atPath: "/usr/bin/xmllint")
    }

    func validate(_ path: String) throws {
        let v = try Run.command("/usr/bin/xmllint", ["--noout", "--schema", Self.wrapper, path])
        #expect(v.status == 0, "\(v)")
        #expect(v.stderr.contains("validates"))
    }

    @Test("plan → approve → export → respond: every task Disclosed, a DeliveryObject with the tag manifest's SHA-512, valid against ETSI's schema",
          .enabled(if: canValidate))
    func parisPipeline() throws {
        let ws = try Workspace("disclose-hi1")
        let plan = ws.output("hi1.plan")
        let p = try ws.disclose("plan", "hi1/fr-tj-paris-epoc.xml", "--out", plan)
        #expect(p.status == 0, "\(p)")
        #expect(p.stdout.contains("VERDICT: DISCLOSE"))
        let doc = try String(contentsOfFile: plan, encoding: .utf8)
        #expect(doc.contains("\"request_file\": \"hi1/fr-tj-paris-epoc.xml\""))
        for r in ["DEMO-reviewer-legal.key", "DEMO-reviewer-privacy.key"] {
            let a = try ws.disclose("approve", plan, "--key", ws.key(r))
            try #require(a.status == 0, "\(a)")
        }
        let bundle = try ws.exportedBundle(name: "hi1-bundle", plan: plan)
        let answer = ws.output("answer.xml")
        let r = try ws.disclose("respond", plan, "--bundle", bundle, "--out", answer)
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("task FR-TJP-2026118-1: Disclosed") && r.stdout.contains("task FR-TJP-2026118-2: Disclosed"))
        let xml = try String(contentsOfFile: answer, encoding: .utf8)
        let tag = try Run.command("sha512sum", [bundle + "/tagmanifest-sha512.txt"]).stdout.prefix(128)
        #expect(xml.contains("<delivery:Checksum>\(tag)</delivery:Checksum>"))
        #expect(xml.contains("<delivery:ChecksumType>SHA-512</delivery:ChecksumType>"))
        #expect(xml.components(separatedBy: "<DELIVER>").count == 3)
        try validate(answer)
        // Never overwritten.
        #expect(try ws.disclose("respond", plan, "--bundle", bundle, "--out", answer).status != 0)
    }

    @Test("a subpoena's tasks are answered separately: subscriber Disclosed, content Rejected with the reason",
          .enabled(if: canValidate))
    func perTaskOutcomes() throws {
        let ws = try Workspace("disclose-hi1")
        let plan = ws.output("sub.plan")
        #expect(try ws.disclose("plan", "hi1/us-dany-subpoena.xml", "--out", plan).status == 0)
        let noBundle = try ws.disclose("respond", plan, "--out", ws.output("x.xml"))
        #expect(noBundle.status == 2 && noBundle.stderr.contains("--bundle"))
        for r in ["DEMO-reviewer-legal.key", "DEMO-reviewer-privacy.key"] {
            try #require(try ws.disclose("approve", plan, "--key", ws.key(r)).status == 0)
        }
        let bundle = try ws.exportedBundle(name: "sub-bundle", plan: plan)
        let answer = ws.output("sub.xml")
        let r = try ws.disclose("respond", plan, "--bundle", bundle, "--out", answer)
        #expect(r.status == 0, "\(r)")
        let xml = try String(contentsOfFile: answer, encoding: .utf8)
        #expect(xml.contains("<common:Value>Disclosed</common:Value>") && xml.contains("<common:Value>Rejected</common:Value>"))
        #expect(xml.contains("does not reach content data"))
        #expect(xml.components(separatedBy: "<DELIVER>").count == 2)
        try validate(answer)
    }

    @Test("import prints the request JSON, and plan on it gives the same decisions as on the XML")
    func importMatchesPlan() throws {
        let ws = try Workspace("disclose-hi1")
        let i = try ws.disclose("import", "hi1/fr-tj-paris-epoc.xml", "--out", ws.output("req.json"))
        #expect(i.status == 0, "\(i)")
        #expect(i.stdout.contains("task FR-TJP-2026118-2: identification, 3 subject(s)"))
        #expect(i.stdout.contains("document EPOC 2026/118 (Warrant)"))
        let fromXML = try ws.disclose("plan", "hi1/fr-tj-paris-epoc.xml", "--json")
        let fromJSON = try ws.disclose("plan", ws.output("req.json"), "--json")
        func stable(_ s: String) -> [Substring] { s.split(separator: "\n").filter { !$0.contains("request_file") && !$0.contains("request_sha512") } }
        #expect(stable(fromXML.stdout) == stable(fromJSON.stdout))
    }

    @Test("hostile XML is refused with exit 2 and a clear message, without hanging", arguments: [
        ("<!DOCTYPE r [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><r>&b;</r>", "DTDs and entity declarations are not accepted"),
        ("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>", "DTDs and entity declarations are not accepted"),
        (String(repeating: "<a>", count: 5000) + String(repeating: "</a>", count: 5000), "nested deeper than 64"),
        ("<HI1Message xmlns=\"urn:wrong\"><Header/></HI1Message>", "not an ETSI TS 103 120 HI1Message"),
    ])
    func hostile(_ xml: String, _ message: String) throws {
        let ws = try Workspace("disclose-hi1")
        let path = ws.output("hostile.xml")
        try Files.write(Array(xml.utf8), path)
        let start = Date()
        let p = try ws.disclose("plan", path, "--out", ws.output("never.plan"))
        #expect(p.status == 2, "\(p)")
        #expect(p.stderr.contains("disclose: error: \(path):1:"))
        #expect(p.stderr.contains(message), "\(p)")
        #expect(!FileManager.default.fileExists(atPath: ws.output("never.plan")))
        #expect(Date().timeIntervalSince(start) < 20)
    }

    @Test("a huge text node is refused at the text limit", .timeLimit(.minutes(1)))
    func hugeText() throws {
        let ws = try Workspace("disclose-hi1")
        let path = ws.output("huge.xml")
        try Files.write(Array(("<HI1Message xmlns=\"http://uri.etsi.org/03120/common/2019/10/Core\"><Header>" + String(repeating: "A", count: 9 << 20) + "</Header></HI1Message>").utf8), path)
        let p = try ws.disclose("import", path)
        #expect(p.status == 2 && p.stderr.contains("text content longer than"), "\(p.stderr)")
    }
}
