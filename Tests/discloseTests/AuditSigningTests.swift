import DiscloseTestSupport
import Foundation
import Testing
import DiscloseKit
import Minisign
import Sodium

/// The keyed audit chain: the provider signs the head at every export and checkpoint,
/// so an entry removed with its links recomputed fails `audit verify`; what a writer
/// without the key can still do (cut entries after the last signed head) is what
/// docs/FORMATS.md §7 says. And `audit verify` never passes a missing or emptied log.
@Suite("Audit log signing")
struct AuditSigningTests {
    private func logPath(_ ws: Workspace) -> String { ws.example("state/audit.jsonl") }

    private func lines(_ ws: Workspace) throws -> [String] {
        try String(contentsOfFile: logPath(ws), encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// What an attacker with write access does: keep `lines`, renumber them from 1 and
    /// recompute every `prev` link, and write the log back.
    private func rewrite(_ ws: Workspace, _ lines: [String]) throws {
        var prev = String(repeating: "0", count: 128)
        var out: [String] = []
        for (i, line) in lines.enumerated() {
            var l = line
            let seqEnd = try #require(l.firstIndex(of: ","))
            l = "{\"seq\":\(i + 1)" + l[seqEnd...]
            let prevStart = try #require(l.range(of: ",\"prev\":\"", options: .backwards))
            l = String(l[..<prevStart.upperBound]) + prev + "\"}"
            prev = Hex.encode(SHA512.hash(Array(l.utf8)))
            out.append(l)
        }
        try (out.joined(separator: "\n") + "\n").write(toFile: logPath(ws), atomically: true, encoding: .utf8)
    }

    private func events(_ lines: [String]) -> [String] {
        lines.map { (Files.jsonObject($0)?["event"] as? String) ?? "?" }
    }

    @Test("export writes a signed head; deleting an entry and recomputing the links fools the plain chain but fails audit verify (exit 1)")
    func deletedEntryWithRecomputedLinksFails() throws {
        let ws = try Workspace("disclose-audit-sign")
        _ = try ws.exportedBundle()
        let original = try lines(ws)
        #expect(events(original) == ["planned", "approved", "approved", "exported", "head_signed"])
        let intact = try ws.disclose("audit", "verify")
        #expect(intact.status == 0, "\(intact)")
        #expect(intact.stdout.contains("Signed by the provider key through entry 4"), "\(intact)")

        // Remove the second approval; renumber and relink everything after it.
        var forged = original
        forged.remove(at: 2)
        try rewrite(ws, forged)
        #expect(try AuditLog(path: logPath(ws)).verify().problem == nil, "the unkeyed chain alone is fooled")
        let r = try ws.disclose("audit", "verify")
        #expect(r.status == 1, "\(r)")
        #expect(r.stdout.contains("entry 4 (signed head of entry 3)"), "\(r)")
    }

    @Test("a forger re-signing the rewritten head with its own key fails: not the provider key")
    func reSignedWithAnotherKeyFails() throws {
        let ws = try Workspace("disclose-audit-sign")
        _ = try ws.exportedBundle()
        var forged = try lines(ws)
        forged.remove(at: 2)
        forged.removeLast()   // the provider's signed head; sign the forged head anew
        try rewrite(ws, forged)
        let rogue = SecretKey.generate()
        try AuditLog(path: logPath(ws)).checkpoint(key: rogue)
        let r = try ws.disclose("audit", "verify")
        #expect(r.status == 1, "\(r)")
        #expect(r.stdout.contains("not the provider key"), "\(r)")
    }

    @Test("cutting entries after the last signed head passes (documented); cutting into it fails; so does removing the signed head and the export")
    func truncationAsDocumented() throws {
        let ws = try Workspace("disclose-audit-sign")
        let bundle = try ws.exportedBundle()
        #expect(try ws.disclose("case", "close", "FR-TJP-2026-EPOC-0117", "--reason", "answered").status == 0)
        let full = try lines(ws)
        #expect(events(full).suffix(3) == ["exported", "head_signed", "closed"])

        // The unsigned tail (the `closed` entry) can be cut without the key: documented.
        try (full.dropLast().joined(separator: "\n") + "\n").write(toFile: logPath(ws), atomically: true, encoding: .utf8)
        let tail = try ws.disclose("audit", "verify")
        #expect(tail.status == 0, "\(tail)")

        // Cutting the signed head off with the export behind it fails: the export is uncovered.
        try (full.dropLast(2).joined(separator: "\n") + "\n").write(toFile: logPath(ws), atomically: true, encoding: .utf8)
        let uncovered = try ws.disclose("audit", "verify")
        #expect(uncovered.status == 1, "\(uncovered)")
        #expect(uncovered.stdout.contains("entry 4 (exported) is not covered by a signed head"), "\(uncovered)")

        // Cutting back to before the export: the signed head file beside the log says so.
        try (full.prefix(3).joined(separator: "\n") + "\n").write(toFile: logPath(ws), atomically: true, encoding: .utf8)
        let cut = try ws.disclose("audit", "verify")
        #expect(cut.status == 1, "\(cut)")
        #expect(cut.stdout.contains("the signed head file records entry 4"), "\(cut)")
        // … and with that file deleted too, only the bundle's recorded head shows it.
        try FileManager.default.removeItem(atPath: logPath(ws) + ".signed-head")
        #expect(try ws.disclose("audit", "verify").status == 0, "documented: cut back before every signed head, file deleted")
        let withBundle = try ws.disclose("audit", "verify", "--bundle", bundle)
        #expect(withBundle.status == 1 && withBundle.stdout.contains("truncated"), "\(withBundle)")
    }

    @Test("audit checkpoint signs entries recorded after the export: removing one then fails")
    func checkpointCoversLaterEntries() throws {
        let ws = try Workspace("disclose-audit-sign")
        _ = try ws.exportedBundle()
        #expect(try ws.disclose("case", "close", "FR-TJP-2026-EPOC-0117").status == 0)
        let c = try ws.disclose("audit", "checkpoint")
        #expect(c.status == 0, "\(c)")
        #expect(c.stdout.contains("Signed head: entry 6"), "\(c)")
        #expect(try ws.disclose("audit", "verify").status == 0)
        var forged = try lines(ws)
        #expect(events(forged).suffix(2) == ["closed", "head_signed"])
        forged.remove(at: 5)   // the `closed` entry
        try rewrite(ws, forged)
        let r = try ws.disclose("audit", "verify")
        #expect(r.status == 1, "\(r)")
    }

    @Test("a missing log is exit 2; an emptied one exit 1; an empty one that never recorded anything says so, exit 0")
    func missingAndEmptyLogs() throws {
        let ws = try Workspace("disclose-audit-sign")
        let typo = try ws.disclose("audit", "verify", "--log", ws.output("typo.json"))
        #expect(typo.status == 2, "\(typo)")
        #expect(typo.stderr.contains("no audit log here"), "\(typo)")
        let never = try ws.disclose("audit", "verify")
        #expect(never.status == 2, "a configuration whose log does not exist: \(never)")

        try FileManager.default.createDirectory(atPath: ws.example("state"), withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: logPath(ws)))
        let fresh = try ws.disclose("audit", "verify")
        #expect(fresh.status == 0, "\(fresh)")
        #expect(fresh.stdout.contains("is empty"), "\(fresh)")

        _ = try ws.exportedBundle()
        try Data().write(to: URL(fileURLWithPath: logPath(ws)))
        let emptied = try ws.disclose("audit", "verify")
        #expect(emptied.status == 1, "\(emptied)")
        #expect(emptied.stdout.contains("the signed head file records entry 4"), "\(emptied)")
        try FileManager.default.removeItem(atPath: logPath(ws))
        #expect(try ws.disclose("audit", "verify").status == 2, "a deleted log")
    }

    @Test("signed heads need the provider key: --log alone is exit 2 with a hint; --signer checks them")
    func signerNeeded() throws {
        let ws = try Workspace("disclose-audit-sign")
        _ = try ws.exportedBundle()
        let bare = try Run.disclose(["audit", "verify", "--log", logPath(ws)], in: ws.out)
        #expect(bare.status == 2, "\(bare)")
        #expect(bare.stderr.contains("--signer"), "\(bare)")
        let keyed = try Run.disclose(["audit", "verify", "--log", logPath(ws), "--signer", ws.key("DEMO-provider.pub")], in: ws.out)
        #expect(keyed.status == 0, "\(keyed)")
        let other = try ws.disclose("keygen", "signing", "--unencrypted", "--out", ws.output("other"))
        try #require(other.status == 0)
        let wrong = try Run.disclose(["audit", "verify", "--log", logPath(ws), "--signer", ws.output("other.pub")], in: ws.out)
        #expect(wrong.status == 1, "\(wrong)")
    }
}
