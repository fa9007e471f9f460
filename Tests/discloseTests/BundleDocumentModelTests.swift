import DiscloseTestSupport
import Age
import Foundation
import Testing
import DiscloseKit

/// The bundle's documents as typed models: `disclosure.json` and the encrypted record of
/// a real export read into `DisclosureDocument` and `DisclosureRecord` and write back to
/// the very bytes; older bundles' shapes still read; a mistyped value is refused with its
/// line and key path.
@Suite("Bundle document models")
struct BundleDocumentModelTests {
    @Test("disclosure.json and the record of an export read back and write the same bytes; older shapes read; wrong types are refused")
    func roundTrip() throws {
        let ws = try Workspace()
        let bundle = try ws.exportedBundle()
        let bytes = try Files.bytes(bundle + "/disclosure.json")
        let disclosure = try DisclosureDocument.read(bytes, file: "disclosure.json")
        #expect(Array(disclosure.json.pretty.utf8) == bytes)
        #expect(disclosure.approvals.count == 2 && disclosure.recipients.allSatisfy { $0.role != nil })
        #expect(try DisclosureDocument.auditHead(bytes, file: "disclosure.json") == disclosure.auditHead)

        // The record, decrypted with the authority's identity.
        let ids = try KeyFiles.identities(paths: [ws.key("DEMO-authority-fr.age")])
        let recordBytes = try Decryptor(identities: ids).decrypt(Files.bytes(bundle + "/" + disclosure.recordFile))
        let record = try DisclosureRecord.read(recordBytes, file: "record.json")
        #expect(Array(record.json.pretty.utf8) == recordBytes)
        #expect(record.bundleID == disclosure.bundleID && PlanDigest.hex(Array(record.planDocument.utf8)) == disclosure.plan.sha512)
        #expect(try PlanModel.read(Array(record.planDocument.utf8), file: "plan").request.id == disclosure.request.id)

        // A bundle from before window, time zone, recipient roles and the unmapped summary.
        var older = disclosure
        older.request.window = nil
        older.authority.hasTimeZone = false
        older.authority.timeZone = nil
        for i in older.recipients.indices { older.recipients[i].role = nil }
        for i in older.datasets.indices { older.datasets[i].unmapped = nil }
        let olderText = older.json.pretty
        #expect(!olderText.contains("\"window\"") && !olderText.contains("\"unmapped\"") && !olderText.contains("\"role\": \"authority\""))
        #expect(try DisclosureDocument.read(Array(olderText.utf8), file: "old.json") == older)

        // Wrong types and other formats are refused, naming where.
        let text = String(decoding: bytes, as: UTF8.self)
        let mistyped = text.replacingOccurrences(of: "\"emergency\": false", with: "\"emergency\": \"no\"")
        #expect(mistyped != text)
        let e = try #require(throws: InputError.self) { try DisclosureDocument.read(Array(mistyped.utf8), file: "disclosure.json") }
        #expect(e.field == "request.emergency" && e.line != nil)
        let plan = try Files.bytes(ws.output("plan.json"))
        #expect(throws: InputError.self) { try DisclosureDocument.read(plan, file: "plan.json") }
        #expect(throws: InputError.self) { try DisclosureRecord.read(bytes, file: "disclosure.json") }
    }
}
