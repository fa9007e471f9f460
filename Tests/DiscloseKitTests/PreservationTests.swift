import Age
import Foundation
import Sodium
import Testing
@testable import DiscloseKit

/// `preserve` over the example data (case 06, US 2703(f)): sealed to the escrow only,
/// digests in the audit log, expiry and the single extension, refusals.
@Suite struct PreservationTests {
    /// A private copy of Examples/ and Keys/ with a fresh audit log.
    final class Copy {
        let root: String
        init() throws {
            var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { dir.deleteLastPathComponent() }
            root = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-preserve-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            for d in ["Examples", "Keys"] { try FileManager.default.copyItem(atPath: dir.path + "/" + d, toPath: root + "/" + d) }
            try? FileManager.default.removeItem(atPath: root + "/Examples/state")
            for name in try FileManager.default.contentsOfDirectory(atPath: root + "/Keys") where !name.hasSuffix(".pub") && name != "README.md" {
                chmod(root + "/Keys/" + name, 0o600)
            }
        }
        deinit { try? FileManager.default.removeItem(atPath: root) }
        func config() throws -> ProviderConfig { try ProviderConfig.load(path: root + "/Examples/disclose.json") }
        var request: String { root + "/Examples/cases/06-us-preservation/request.json" }
    }

    static let now = TimeParsing.parseDate("2026-11-10T20:00:00Z")!

    @Test func sealsToEscrowOnlyAndLogsTheDigests() throws {
        let copy = try Copy()
        let config = try copy.config()
        let out = copy.root + "/preserved"
        let result = try Preservation.seal(config: config, requestPath: copy.request, out: out, now: Self.now)
        #expect(result.until == Self.now.advanced(bySeconds: 90 * 86_400))
        #expect(result.files.map(\.file).sorted() == ["data/accounts.jsonl.age", "data/files.csv.age",
                                                       "data/logins/2026-09.jsonl.age", "data/messages.jsonl.age"])
        #expect(result.files.reduce(0) { $0 + $1.records } > 0)
        #expect(FileManager.default.contentsOfDirectory(atPathSafe: copy.root).allSatisfy { !$0.contains(".partial-") })

        let escrow = try KeyFiles.identities(paths: [copy.root + "/Keys/DEMO-escrow.age"])
        let authority = try KeyFiles.identities(paths: [copy.root + "/Keys/DEMO-authority-us.age"])
        for f in result.files {
            let sealed = Array(try Data(contentsOf: URL(fileURLWithPath: out + "/" + f.file)))
            #expect(Hex.encode(SHA512.hash(sealed)) == f.sha512)
            let plain = try Decryptor(identities: escrow).decrypt(sealed)
            #expect(Hex.encode(BLAKE2b.hash(plain)) == f.plaintextBLAKE2b512)
            #expect(plain.split(separator: 0x0A).count >= f.records)
            // Only the provider's escrow can open it: not even the requesting authority.
            #expect(throws: AgeError.self) { _ = try Decryptor(identities: authority).decrypt(sealed) }
        }
        // sha512sum -c form manifest of the sealed files.
        let manifest = try String(contentsOfFile: out + "/manifest-sha512.txt", encoding: .utf8)
        for f in result.files { #expect(manifest.contains("\(f.sha512)  \(f.file)\n")) }

        // The audit entry records every sealed file with its digests, and the expiry.
        let entries = try AuditLog(path: config.auditLogPath).entries()
        let preserved = try #require(entries.last)
        #expect(preserved.event == "preserved" && preserved.caseID == "US-NYDA-PRES-2026-0412")
        #expect(preserved.string(.until) == result.until.description)
        let logged = preserved.node["files"]?.elements ?? []
        #expect(logged.count == result.files.count)
        for (node, f) in zip(logged, result.files) {
            #expect(node["file"]?.string == f.file && node["sha512"]?.string == f.sha512 && node["plaintext_blake2b512"]?.string == f.plaintextBLAKE2b512)
        }
        // Neither the log nor the clear manifest holds the subject or any record value.
        let logText = try String(contentsOfFile: config.auditLogPath, encoding: .utf8)
        let clear = try String(contentsOfFile: out + "/preservation.json", encoding: .utf8)
        for text in [logText, clear] { #expect(!text.contains("acc_2310") && !text.contains("@mail.example")) }
        // preservation.json reads back into its model and writes the same bytes; a wrong type is refused.
        let document = try PreservationDocument.read(Array(clear.utf8), file: "preservation.json")
        #expect(document.json.pretty == clear && document.datasets == result.files && document.until == result.until.description)
        let mistyped = clear.replacingOccurrences(of: "\"subjects\": ", with: "\"subjects\": -")
        #expect(mistyped != clear)
        #expect(throws: InputError.self) { try PreservationDocument.read(Array(mistyped.utf8), file: "preservation.json") }

        // status shows the expiry.
        let policy = try Policy.load(path: config.policyPath)
        let line = try #require(CaseStatus.lines(try CaseLedger.load(AuditLog(path: config.auditLogPath)), policy: policy, now: Self.now).first)
        #expect(line.state == .preserved)
        #expect(line.next == CaseDeadline(kind: .preservationExpiry, due: result.until))

        // A second preservation at the same path is refused; nothing is overwritten.
        #expect(throws: InputError.self) { _ = try Preservation.seal(config: config, requestPath: copy.request, out: out, now: Self.now) }
    }

    @Test func extendsOnceBeforeExpiry() throws {
        let copy = try Copy()
        let config = try copy.config()
        let log = AuditLog(path: config.auditLogPath)
        let policy = try Policy.load(path: config.policyPath)
        let result = try Preservation.seal(config: config, requestPath: copy.request, out: copy.root + "/p", now: Self.now)
        let id = result.requestID
        // After expiry: refused.
        let history = try #require(try CaseLedger.load(log).first { $0.id == id })
        #expect(throws: Refusal.self) { _ = try Preservation.extensionEnd(history, policy: policy, now: result.until.advanced(bySeconds: 1)) }
        // Before: extended by the instrument's 90 days, once.
        let until = try CaseRecording.extend(log: log, policy: policy, caseID: id, reference: "renewal 1", now: Self.now.advanced(bySeconds: 80 * 86_400))
        #expect(until == result.until.advanced(bySeconds: 90 * 86_400))
        #expect(throws: Refusal.self) {
            _ = try CaseRecording.extend(log: log, policy: policy, caseID: id, reference: "renewal 2", now: Self.now.advanced(bySeconds: 81 * 86_400))
        }
        let after = try #require(try CaseLedger.load(log).first { $0.id == id })
        #expect(after.preservedUntil == until)
        #expect(CaseStatus.deadlines(after, policy: policy) == [CaseDeadline(kind: .preservationExpiry, due: until)])
        // Closing ends it: no deadline, not listed.
        try CaseRecording.close(log: log, caseID: id, reason: "warrant served", now: Self.now.advanced(bySeconds: 100 * 86_400))
        #expect(CaseStatus.lines(try CaseLedger.load(log), policy: policy, now: Self.now, all: true).isEmpty)
        #expect(try log.verify().problem == nil)
    }

    @Test func refusesProductionOrdersAndMissingEscrow() throws {
        let copy = try Copy()
        let config = try copy.config()
        let order = copy.root + "/Examples/cases/01-eu-epoc-paris/request.json"
        #expect(throws: Refusal.self) { _ = try Preservation.seal(config: config, requestPath: order, out: copy.root + "/x", now: Self.now) }
        #expect(!Files.exists(copy.root + "/x"))

        // Without escrow recipients there is nobody to seal to: refused.
        let policyPath = config.policyPath
        var text = try String(contentsOfFile: policyPath, encoding: .utf8)
        let line = try #require(text.range(of: "\"escrow_recipients\": [\n    \"age1"))
        let end = try #require(text.range(of: "],", range: line.upperBound..<text.endIndex))
        text.replaceSubrange(line.lowerBound..<end.upperBound, with: "\"escrow_recipients\": [],")
        try text.write(toFile: policyPath, atomically: true, encoding: .utf8)
        #expect(throws: Refusal.self) { _ = try Preservation.seal(config: config, requestPath: copy.request, out: copy.root + "/y", now: Self.now) }
        #expect(!Files.exists(copy.root + "/y"))
        #expect(try AuditLog(path: config.auditLogPath).entries().isEmpty)
    }

    /// A preservation killed before its rename leaves `.NAME.partial-PID-ID`; the next one
    /// to the same name sweeps it (the directory names the dead process), as export does.
    @Test func leftoversOfAKilledPreservationAreSwept() throws {
        let copy = try Copy()
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let stale = copy.root + "/.preserved.partial-\(child.processIdentifier)-leftover"
        try FileManager.default.createDirectory(atPath: stale + "/data", withIntermediateDirectories: true)
        let live = copy.root + "/.preserved.partial-\(getpid())-in-progress"
        try FileManager.default.createDirectory(atPath: live, withIntermediateDirectories: true)
        _ = try Preservation.seal(config: try copy.config(), requestPath: copy.request, out: copy.root + "/preserved", now: Self.now)
        #expect(!FileManager.default.fileExists(atPath: stale), "a dead process's partial directory is removed")
        #expect(FileManager.default.fileExists(atPath: live), "a running process's partial directory is left alone")
        #expect(FileManager.default.fileExists(atPath: copy.root + "/preserved/preservation.json"))
    }
}

private enum Files {
    static func exists(_ path: String) -> Bool { var st = stat(); return lstat(path, &st) == 0 }
}

private extension FileManager {
    func contentsOfDirectory(atPathSafe path: String) -> [String] { (try? contentsOfDirectory(atPath: path)) ?? [] }
}
