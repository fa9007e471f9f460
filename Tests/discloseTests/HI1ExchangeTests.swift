import DiscloseTestSupport
import Foundation
import Testing

/// The rest of the HI-1 exchange through the real binary: the acknowledgement, refusals
/// and no-data answers as NotificationObjects with their Form 3 reason (one variant of
/// the Paris message per refusal check), a reviewer's rejection, a request for
/// clarification, and a bundle delivered in parts and reassembled. Every message written
/// is validated against ETSI's V1.12.1 schemas with xmllint.
@Suite("HI-1 exchange (CLI)")
struct HI1ExchangeTests {
    static var canValidate: Bool { HI1CLITests.canValidate }
    static let paris = "hi1/fr-tj-paris-epoc.xml"

    func validate(_ path: String) throws {
        let v = try Run.command("/usr/bin/xmllint", ["--noout", "--schema", HI1CLITests.wrapper, path])
        #expect(v.status == 0 && v.stderr.contains("validates"), "\(v)")
    }

    /// The NotificationType values of a message, in order.
    func notificationTypes(_ xml: String) -> [String] {
        xml.components(separatedBy: "<notification:NotificationType>").dropFirst().compactMap { part in
            part.components(separatedBy: "<common:Value>").dropFirst().first?.components(separatedBy: "<").first
        }
    }

    /// Writes a variant of the Paris message with `edits` applied (each must change it).
    func variant(_ ws: Workspace, _ name: String, _ edits: [(String, String)]) throws -> String {
        var text = try String(contentsOfFile: ws.example(Self.paris), encoding: .utf8)
        for (old, new) in edits {
            try #require(text.contains(old), "the example no longer holds \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try Files.write(Array(text.utf8), ws.example("hi1/" + name))
        return "hi1/" + name
    }

    @Test("--acknowledge confirms receipt of each object, with the request's TransactionIdentifier and nothing else",
          .enabled(if: canValidate))
    func acknowledge() throws {
        let ws = try Workspace("disclose-hi1x")
        let ack = ws.output("ack.xml")
        let r = try ws.disclose("respond", Self.paris, "--acknowledge", "--out", ack)
        #expect(r.status == 0, "\(r)")
        let xml = try String(contentsOfFile: ack, encoding: .utf8)
        try validate(ack)
        #expect(xml.contains("<TransactionIdentifier>3f6b2a10-7c4d-4e8a-b1d2-9e0f4a6c2b11</TransactionIdentifier>"))
        #expect(xml.components(separatedBy: "<CREATEResponse>").count == 5)
        for id in ["8a1d9c33-2b4e-4f60-a7c8-6d5e3f2a1b04", "5e0c1f42-8d3a-4c6e-9b1f-2a7d6e4c9011", "c2a4e6f8-1b3d-4f5a-8c7e-0d9b2a4c6e01"] {
            #expect(xml.contains("<Identifier>\(id)</Identifier>"))
        }
        #expect(!xml.contains("Status>") && !xml.contains("<delivery:") && !xml.contains("julien"))
        // case receive writes the same acknowledgement and records the case.
        let ack2 = ws.output("ack2.xml")
        let c = try ws.disclose("case", "receive", Self.paris, "--acknowledge", ack2)
        #expect(c.status == 0, "\(c)")
        try validate(ack2)
        #expect(try ws.auditEvents().contains("received"))
        // Not addressed to us: no acknowledgement.
        let other = try variant(ws, "other.xml", [("<UniqueIdentifier>EXAMPLE-MAIL-SAS</UniqueIdentifier>\n    </ReceiverIdentifier>",
                                                   "<UniqueIdentifier>SOMEONE-ELSE</UniqueIdentifier>\n    </ReceiverIdentifier>")])
        let o = try ws.disclose("respond", other, "--acknowledge", "--out", ws.output("o.xml"))
        #expect(o.status == 2 && o.stderr.contains("not to this provider"), "\(o)")
    }

    @Test("a refused plan is answered with a notification carrying the failed check's Form 3 reason", .enabled(if: canValidate), arguments: [
        ("unknown-authority", [("<UniqueIdentifier>FR-TJ-PARIS-PJI</UniqueIdentifier>", "<UniqueIdentifier>FR-NOBODY</UniqueIdentifier>")],
         "authority known", "NotIssuedByCompetentAuthority"),
        ("unknown-type", [("<common:Value>EPOC</common:Value>", "<common:Value>LETTER</common:Value>")], "instrument type known", "ManifestlyErroneousOrder"),
        ("mayor", [("Investigating judge", "Mayor")], "issuer competent", "NotIssuedByCompetentAuthority"),
        ("prosecutor", [("Investigating judge", "Prosecutor")], "request within the issuer's competence", "NotIssuedByCompetentAuthority"),
        ("issued-late", [("2026-11-14T21:50:00+01:00</common:ApprovalTimestamp>", "2026-11-15T21:50:00+01:00</common:ApprovalTimestamp>")],
         "issued before receipt", "ManifestlyErroneousOrder"),
        ("expired", [("<auth:EndTime>2029-11-14T00:00:00Z", "<auth:EndTime>2026-11-15T00:00:00Z")], "instrument in force", "ManifestlyErroneousOrder"),
        ("long-window", [("<task:StartTime>2026-10-01T00:00:00+02:00", "<task:StartTime>2024-10-01T00:00:00+02:00")],
         "window within limit", "ManifestlyErroneousOrder"),
        ("emergency", [("</auth:AuthorisationApprovalDetails>", "</auth:AuthorisationApprovalDetails><auth:AuthorisationFlags><auth:AuthorisationFlag><common:Owner>ETSI</common:Owner><common:Name>AuthorisationFlag</common:Name><common:Value>IsEmergency</common:Value></auth:AuthorisationFlag></auth:AuthorisationFlags>")],
         "emergency declared", "IncompleteOrder"),
    ])
    func refusedCheck(_ name: String, _ edits: [(String, String)], _ check: String, _ reason: String) throws {
        let ws = try Workspace("disclose-hi1x")
        let request = try variant(ws, name + ".xml", edits)
        let plan = ws.output(name + ".plan")
        let p = try ws.disclose("plan", request, "--out", plan)
        #expect(p.status == 1 && p.stdout.contains("VERDICT: REFUSED"), "\(p)")
        let answer = ws.output(name + ".xml")
        let r = try ws.disclose("respond", plan, "--out", answer)
        #expect(r.status == 0, "\(r)")
        let xml = try String(contentsOfFile: answer, encoding: .utf8)
        try validate(answer)
        #expect(notificationTypes(xml).first == reason, "\(notificationTypes(xml))")
        #expect(xml.contains("<notification:NotificationDetails>\(check): "))
        #expect(xml.components(separatedBy: "<common:Value>Rejected</common:Value>").count == 3)
        #expect(!xml.contains("julien") && !xml.contains("33639984217"))
        // The audit log records the family; the report counts the refusal under it.
        let log = try String(contentsOfFile: ws.example("state/audit.jsonl"), encoding: .utf8)
        #expect(log.contains("\"refusal_reasons\":[") || log.contains("\"refusal_reasons\": ["), "\(log)")
    }

    @Test("no data, a category beyond the instrument and a reviewer's rejection each get their reason", .enabled(if: canValidate))
    func taskLevelReasons() throws {
        let ws = try Workspace("disclose-hi1x")
        // No account matches: DisclosureNotAvailable + DataNotHeld.
        let nobody = try variant(ws, "nobody.xml", [("julien.marchetti@mail.example", "nobody@nowhere.example"), ("33639984217", "33639980000"),
                                                    ("203.0.113.57", "198.51.100.254")])
        let plan = ws.output("nobody.plan")
        let p = try ws.disclose("plan", nobody, "--out", plan)
        #expect(p.status == 0, "\(p)")
        let answer = ws.output("nobody.xml")
        #expect(try ws.disclose("respond", plan, "--out", answer).status == 0)
        var xml = try String(contentsOfFile: answer, encoding: .utf8)
        try validate(answer)
        #expect(notificationTypes(xml) == ["DataNotHeld"])
        #expect(xml.components(separatedBy: "<common:Value>DisclosureNotAvailable</common:Value>").count == 3)

        // The subpoena's content task: Rejected, NotIssuedByCompetentAuthority, associated with that task only.
        let sub = ws.output("sub.plan")
        #expect(try ws.disclose("plan", "hi1/us-dany-subpoena.xml", "--out", sub).status == 0)
        for k in ["DEMO-reviewer-legal.key", "DEMO-reviewer-privacy.key"] { try #require(try ws.disclose("approve", sub, "--key", ws.key(k)).status == 0) }
        let bundle = try ws.exportedBundle(name: "sub-bundle", plan: sub)
        let subAnswer = ws.output("sub.xml")
        #expect(try ws.disclose("respond", sub, "--bundle", bundle, "--out", subAnswer).status == 0)
        xml = try String(contentsOfFile: subAnswer, encoding: .utf8)
        try validate(subAnswer)
        #expect(notificationTypes(xml) == ["NotIssuedByCompetentAuthority"])
        let note = xml.components(separatedBy: "notification:NotificationObject")[1].components(separatedBy: "</HI1Object>")[0]
        #expect(note.components(separatedBy: "<AssociatedObject>").count == 3 && note.contains("does not reach content data"))

        // A reviewer's rejection: every task Rejected, the reviewer's grounds in the details.
        let rej = ws.output("rej.plan")
        #expect(try ws.disclose("plan", Self.paris, "--out", rej).status == 0)
        #expect(try ws.disclose("approve", rej, "--key", ws.key("DEMO-reviewer-legal.key")).status == 0)
        let a = try ws.disclose("approve", rej, "--key", ws.key("DEMO-reviewer-privacy.key"), "--reject", "--reason", "the mailbox is a lawyer's: privileged")
        try #require(a.status == 0, "\(a)")
        let rejAnswer = ws.output("rej.xml")
        let r = try ws.disclose("respond", rej, "--out", rejAnswer)
        #expect(r.status == 0, "\(r)")
        xml = try String(contentsOfFile: rejAnswer, encoding: .utf8)
        try validate(rejAnswer)
        #expect(notificationTypes(xml) == ["OtherReason"])
        #expect(xml.contains("rejected by the provider's reviewer (privacy): the mailbox is a lawyer's: privileged"))
        #expect(!xml.contains("<DELIVER>"))
    }

    @Test("--clarify asks about the named tasks with the given text, or a file's", .enabled(if: canValidate))
    func clarify() throws {
        let ws = try Workspace("disclose-hi1x")
        let out = ws.output("q.xml")
        let r = try ws.disclose("respond", Self.paris, "--clarify", "--text", "Which of the two numbers <is> meant?", "--task", "FR-TJP-2026118-2", "--out", out)
        #expect(r.status == 0, "\(r)")
        let xml = try String(contentsOfFile: out, encoding: .utf8)
        try validate(out)
        #expect(notificationTypes(xml) == ["ClarificationRequested"])
        #expect(xml.contains("Which of the two numbers &lt;is&gt; meant?"))
        #expect(xml.contains("c2a4e6f8-1b3d-4f5a-8c7e-0d9b2a4c6e02") && !xml.contains("c2a4e6f8-1b3d-4f5a-8c7e-0d9b2a4c6e01"))
        try Files.write(Array("Please send the order's annex.\n".utf8), ws.output("q.txt"))
        let f = try ws.disclose("respond", Self.paris, "--clarify", "--text-file", ws.output("q.txt"), "--out", ws.output("q2.xml"))
        #expect(f.status == 0, "\(f)")
        try validate(ws.output("q2.xml"))
        #expect(try ws.disclose("respond", Self.paris, "--clarify", "--out", ws.output("q3.xml")).status == 2)
        let unknown = try ws.disclose("respond", Self.paris, "--clarify", "--text", "?", "--task", "FR-NOPE-1", "--out", ws.output("q4.xml"))
        #expect(unknown.status == 2 && unknown.stderr.contains("no task 'FR-NOPE-1'"), "\(unknown)")
    }

    @Test("respond --part-size delivers the bundle's tar in part messages; import-delivery reassembles a bundle that verifies",
          .enabled(if: canValidate))
    func partsRoundTrip() throws {
        let ws = try Workspace("disclose-hi1x")
        let plan = ws.output("p.plan")
        #expect(try ws.disclose("plan", Self.paris, "--out", plan).status == 0)
        for k in ["DEMO-reviewer-legal.key", "DEMO-reviewer-privacy.key"] { try #require(try ws.disclose("approve", plan, "--key", ws.key(k)).status == 0) }
        let bundle = try ws.exportedBundle(name: "paris-bundle", plan: plan)
        let answer = ws.output("answer.xml")
        let r = try ws.disclose("respond", plan, "--bundle", bundle, "--part-size", "16K", "--out", answer)
        #expect(r.status == 0, "\(r)")
        let parts = Files.names(ws.out).filter { $0.hasPrefix("answer.part-") }.map { ws.output($0) }
        #expect(parts.count >= 3)
        try validate(answer)
        try validate(parts[0]); try validate(parts.last!)
        #expect(!(try String(contentsOfFile: answer, encoding: .utf8)).contains("<DELIVER>"))
        let tar = ws.output("paris.tar")
        let ok = try Run.disclose(["import-delivery", "--out", tar] + parts.reversed(), in: ws.examples)
        #expect(ok.status == 0 && ok.stdout.contains("\(parts.count) part(s) checked"), "\(ok)")
        let unpacked = ws.output("unpacked")
        try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
        #expect(try Run.command("/usr/bin/tar", ["-xf", tar, "-C", unpacked]).status == 0)
        let v = try ws.disclose("verify", unpacked + "/paris-bundle", "--signer", ws.key("DEMO-provider.pub"))
        #expect(v.status == 0 && v.stdout.contains("VERIFIED"), "\(v)")
        // A missing part: exit 1, the reason named, nothing written.
        let m = try Run.disclose(["import-delivery", "--out", ws.output("m.tar")] + parts.dropLast(), in: ws.examples)
        #expect(m.status == 1 && m.stderr.contains("delivery refused (missing)"), "\(m)")
        #expect(!Files.exists(ws.output("m.tar")))
        // A link planted in the bundle is not followed into the delivery: refused, no part left.
        try FileManager.default.createSymbolicLink(atPath: bundle + "/data/planted", withDestinationPath: "/etc/hostname")
        let planted = try ws.disclose("respond", plan, "--bundle", bundle, "--part-size", "16K", "--out", ws.output("planted.xml"))
        #expect(planted.status == 2 && planted.stderr.contains("not a regular file or directory"), "\(planted)")
        #expect(!Files.names(ws.out).contains { $0.hasPrefix("planted") })
        // Usage: --part-size needs --bundle and a byte count.
        #expect(try ws.disclose("respond", plan, "--part-size", "4M", "--out", ws.output("x.xml")).status == 2)
        #expect(try ws.disclose("respond", plan, "--bundle", bundle, "--part-size", "four", "--out", ws.output("x.xml")).status == 2)
    }
}

/// UPDATE actions: an authority's UPDATE of the authorisation and tasks is shown as the
/// differences to the case's request, and the updated request needs new approvals.
@Suite("HI-1 UPDATE (CLI)")
struct HI1UpdateTests {
    /// The Paris message turned into an UPDATE of its authorisation and tasks, with `edits`.
    func update(_ ws: Workspace, _ name: String, _ edits: [(String, String)]) throws -> String {
        var text = try String(contentsOfFile: ws.example(HI1ExchangeTests.paris), encoding: .utf8)
        let first = text.range(of: "<ActionRequest>")!, end = text.range(of: "</ActionRequest>")!
        text.removeSubrange(first.lowerBound..<end.upperBound)   // the DocumentObject: not updated
        text = text.replacingOccurrences(of: "<CREATE>", with: "<UPDATE>").replacingOccurrences(of: "</CREATE>", with: "</UPDATE>")
            .replacingOccurrences(of: "3f6b2a10-7c4d-4e8a-b1d2-9e0f4a6c2b11", with: "3f6b2a10-7c4d-4e8a-b1d2-9e0f4a6c2b99")
        for (old, new) in edits {
            try #require(text.contains(old))
            text = text.replacingOccurrences(of: old, with: new)
        }
        try Files.write(Array(text.utf8), ws.output(name))
        return ws.output(name)
    }

    @Test("an extended validity and a narrowed window are shown as differences; the updated request plans anew and needs new approvals")
    func extendAndNarrow() throws {
        let ws = try Workspace("disclose-hi1u")
        let old = ws.output("old.plan")
        #expect(try ws.disclose("plan", HI1ExchangeTests.paris, "--out", old).status == 0)
        let u = try update(ws, "update.xml", [("<auth:EndTime>2029-11-14T00:00:00Z", "<auth:EndTime>2030-11-14T00:00:00Z"),
                                              ("<task:StartTime>2026-10-01T00:00:00+02:00", "<task:StartTime>2026-10-15T00:00:00+02:00")])
        let json = ws.output("updated.json")
        let r = try ws.disclose("import", u, "--update-of", HI1ExchangeTests.paris, "--out", json)
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("instrument.expires: 2029-11-14T00:00:00Z → 2030-11-14T00:00:00Z"), "\(r.stdout)")
        #expect(r.stdout.contains("window: 2026-09-30T22:00:00Z – 2026-11-14T20:40:00Z → 2026-10-14T22:00:00Z – 2026-11-14T20:40:00Z"), "\(r.stdout)")
        #expect(r.stdout.contains("approvals of the old plan cannot bind"))
        let new = ws.output("new.plan")
        #expect(try ws.disclose("plan", json, "--out", new).status == 0)
        let oldDigest = try String(contentsOfFile: old, encoding: .utf8), newDigest = try String(contentsOfFile: new, encoding: .utf8)
        #expect(oldDigest != newDigest)
        // The old plan's approvals do not carry over: the new plan is not approved.
        for k in ["DEMO-reviewer-legal.key", "DEMO-reviewer-privacy.key"] { try #require(try ws.disclose("approve", old, "--key", ws.key(k)).status == 0) }
        let e = try ws.disclose("export", new, "--out", ws.output("b"))
        #expect(e.status == 1, "\(e)")
        // Approved anew, exported, and answered in HI-1 from the two messages it was made from.
        for k in ["DEMO-reviewer-legal.key", "DEMO-reviewer-privacy.key"] { try #require(try ws.disclose("approve", new, "--key", ws.key(k)).status == 0) }
        let bundle = try ws.exportedBundle(name: "updated-bundle", plan: new)
        let plain = try ws.disclose("respond", new, "--bundle", bundle, "--out", ws.output("a0.xml"))
        #expect(plain.status == 2 && plain.stderr.contains("--hi1-update"), "\(plain)")
        let answer = ws.output("a.xml")
        let r2 = try ws.disclose("respond", new, "--bundle", bundle, "--hi1-request", HI1ExchangeTests.paris, "--hi1-update", u, "--out", answer)
        #expect(r2.status == 0 && r2.stdout.contains("task FR-TJP-2026118-2: Disclosed"), "\(r2)")
        if HI1ExchangeTests.canValidate {
            let v = try Run.command("/usr/bin/xmllint", ["--noout", "--schema", HI1CLITests.wrapper, answer])
            #expect(v.status == 0, "\(v)")
        }
        // Another update than the one the request JSON was made from: refused.
        let other = try update(ws, "other-update.xml", [("<auth:EndTime>2029-11-14T00:00:00Z", "<auth:EndTime>2031-11-14T00:00:00Z")])
        let r3 = try ws.disclose("respond", new, "--bundle", bundle, "--hi1-request", HI1ExchangeTests.paris, "--hi1-update", other, "--out", ws.output("a3.xml"))
        #expect(r3.status == 2 && r3.stderr.contains("is not the one"), "\(r3)")
    }

    @Test("an UPDATE from another sender, of an unknown task, or changing nothing is handled plainly")
    func refusedUpdates() throws {
        let ws = try Workspace("disclose-hi1u")
        let same = try update(ws, "same.xml", [])
        let s = try ws.disclose("import", same, "--update-of", HI1ExchangeTests.paris)
        #expect(s.status == 0 && s.stdout.contains("nothing Disclose decides on changes"), "\(s)")
        let other = try update(ws, "other.xml", [("<UniqueIdentifier>FR-TJ-PARIS-PJI</UniqueIdentifier>", "<UniqueIdentifier>FR-OTHER</UniqueIdentifier>")])
        let o = try ws.disclose("import", other, "--update-of", HI1ExchangeTests.paris)
        #expect(o.status == 2 && o.stderr.contains("only the sender may update its request"), "\(o)")
        let unknown = try update(ws, "unknown.xml", [("c2a4e6f8-1b3d-4f5a-8c7e-0d9b2a4c6e02", "c2a4e6f8-1b3d-4f5a-8c7e-0d9b2a4c6e99")])
        let n = try ws.disclose("import", unknown, "--update-of", HI1ExchangeTests.paris)
        #expect(n.status == 2 && n.stderr.contains("holds no LDTaskObject"), "\(n)")
        // A CREATE message is not an update.
        let c = try ws.disclose("import", ws.example(HI1ExchangeTests.paris), "--update-of", HI1ExchangeTests.paris)
        #expect(c.status == 2, "\(c)")
    }
}

/// Hostile XML stays refused by the new readers: a part message for import-delivery and
/// an UPDATE for import --update-of get exit 2 and a clear message, without hanging.
@Suite("HI-1 hostile parts and updates (CLI)")
struct HI1HostileMessageTests {
    @Test("hostile XML as a delivery part or an UPDATE is refused with exit 2", arguments: [
        ("<!DOCTYPE r [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><r>&b;</r>", "DTDs and entity declarations are not accepted"),
        (String(repeating: "<a>", count: 5000) + String(repeating: "</a>", count: 5000), "nested deeper than 64"),
        ("<HI1Message xmlns=\"urn:wrong\"><Header/></HI1Message>", "not an ETSI TS 103 120 HI1Message"),
        ("<HI1Message xmlns=\"http://uri.etsi.org/03120/common/2019/10/Core\"><Header/><Payload/></HI1Message>", "missing required"),
    ])
    func hostile(_ xml: String, _ message: String) throws {
        let ws = try Workspace("disclose-hi1h")
        let path = ws.output("hostile.xml")
        try Files.write(Array(xml.utf8), path)
        let start = Date()
        let d = try ws.disclose("import-delivery", path, "--out", ws.output("never.tar"))
        #expect(d.status == 2 && d.stderr.contains("disclose: error: \(path):") && d.stderr.contains(message), "\(d)")
        #expect(!Files.exists(ws.output("never.tar")))
        let u = try ws.disclose("import", path, "--update-of", HI1ExchangeTests.paris)
        #expect(u.status == 2 && u.stderr.contains(message), "\(u)")
        #expect(Date().timeIntervalSince(start) < 20)
    }
}
