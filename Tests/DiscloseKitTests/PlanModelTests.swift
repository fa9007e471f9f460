import Foundation
import Testing
@testable import DiscloseKit

/// The plan document as one typed model: every golden plan reads and writes back to the
/// very bytes; what was always written is required and typed; what newer plans add may be
/// absent; the differences export shows are computed from two models, path by path.
@Suite("Plan model")
struct PlanModelTests {
    static let golden = HI1MappingTests.root + "/Tests/discloseTests/Golden"

    static let goldenFiles: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: golden)) ?? []).filter { $0.hasSuffix(".plan.json") }.sorted()

    func bytes(_ name: String = "01-eu-epoc-paris.plan.json") throws -> [UInt8] {
        try FileBytes.read(path: Self.golden + "/" + name, limit: 1 << 20)
    }

    func model(_ text: String) throws -> PlanModel { try PlanModel.read(Array(text.utf8), file: "plan.json") }

    @Test("every golden plan reads, and the model writes back exactly its bytes", arguments: goldenFiles)
    func goldenRoundTrip(_ name: String) throws {
        let original = try bytes(name)
        let m = try PlanModel.read(original, file: name)
        #expect(Array(m.json.pretty.utf8) == original)
        #expect(try PlanModel.read(Array(m.json.pretty.utf8), file: name) == m)
    }

    @Test("the golden files are all there")
    func goldenFilesFound() { #expect(Self.goldenFiles.count >= 7) }

    @Test("a value of the wrong type is refused with its line and key path")
    func mistypedValue() throws {
        let text = String(decoding: try bytes(), as: UTF8.self).replacingOccurrences(of: "\"scanned\": 300,", with: "\"scanned\": \"300\",")
        #expect(text != String(decoding: try bytes(), as: UTF8.self))
        let error = try #require(throws: InputError.self) { try model(text) }
        #expect(error.field == "datasets[0].records.scanned")
        #expect(error.line != nil)
        #expect(error.message.contains("whole number"))
    }

    @Test("a key every plan has is required; a document of another format is not a plan")
    func requiredKeys() throws {
        let text = String(decoding: try bytes(), as: UTF8.self).replacingOccurrences(of: "\"verdict\": \"disclose\",\n", with: "")
        let error = try #require(throws: InputError.self) { try model(text) }
        #expect(error.field == "verdict" && error.message.contains("missing"))
        let other = try #require(throws: InputError.self) { try model(#"{"format": "something-else/1", "inputs": {"request_file": "r"}}"#) }
        #expect(other.message.contains("not a disclose plan document"))
        #expect(try PlanModel.readIfPlan(Array(#"{"format": "x"}"#.utf8), file: "x.json") == nil)
    }

    @Test("a plan made before the newer members (window reading, case nonce, look-alikes) still reads")
    func olderPlan() throws {
        var m = try PlanModel.read(try bytes(), file: "plan.json")
        m.request.window.display = nil
        m.inputs.caseNonce = nil
        for i in m.subjects.indices { m.subjects[i].lookAlikes = nil }
        let older = m.json.pretty
        #expect(!older.contains("case_nonce") && !older.contains("as_sent") && !older.contains("look_alikes"))
        #expect(try model(older) == m)
        #expect(try model(older).practice == false)
    }

    @Test("differences name each changed value by its path, after the labels people rely on")
    func differences() throws {
        let approved = try PlanModel.read(try bytes(), file: "plan.json")
        var now = approved
        now.inputs.policySHA512 = "ab"
        let logins = try #require(now.datasets.firstIndex { $0.name == "logins" })
        now.datasets[logins].records.scanned += 1
        now.datasets[logins].output.blake2b512 = "cd"
        let lines = PlanDifferences.lines(approved: approved, current: now)
        #expect(lines.prefix(3) == ["the policy changed", "a dataset's scoped output changed (the data changed)",
                                    "the number of records in a dataset changed"])
        let scanned = approved.datasets[logins].records.scanned
        #expect(lines.contains("datasets[logins].records.scanned: approved \(scanned) → now \(scanned + 1)"))
        #expect(lines.contains { $0.hasPrefix("inputs.policy_sha512: approved \"") && $0.hasSuffix("→ now \"ab\"") })
        #expect(PlanDifferences.changes(approved: approved, current: now).map(\.path)
                == ["inputs.policy_sha512", "datasets[logins].records.scanned", "datasets[logins].output.blake2b512"])
        #expect(PlanDifferences.lines(approved: approved, current: approved) == ["the documents differ"])
    }

    @Test("a field's changed action and an added dataset are named; many changes are counted, not all listed")
    func differencesInLists() throws {
        let approved = try PlanModel.read(try bytes(), file: "plan.json")
        var now = approved
        let field = now.datasets[0].fields[0].path
        let other = approved.datasets[0].fields[0].action == "withhold" ? "disclose" : "withhold"
        now.datasets[0].fields[0].action = other
        var extra = now.datasets[0]
        extra.name = "extra"
        now.datasets.append(extra)
        let changes = PlanDifferences.changes(approved: approved, current: now)
        let name = approved.datasets[0].name
        #expect(changes.first == .init(path: "datasets[\(name)].fields[\(field)].action", approved: "\"\(approved.datasets[0].fields[0].action)\"", now: "\"\(other)\""))
        #expect(changes.contains { $0.path == "datasets[extra].name" && $0.approved == nil && $0.now == "\"extra\"" })
        let lines = PlanDifferences.lines(approved: approved, current: now)
        #expect(lines.contains("a dataset's scoped output changed (the data changed)"))
        #expect(lines.last == "… and \(changes.count - 8) more changed value(s)")
        #expect(lines.contains { $0.hasSuffix("approved (absent) → now \"extra\"") })
    }

    @Test("PlanFile.differences reads both documents; unreadable ones just differ")
    func planFileDifferences() throws {
        let approved = try bytes()
        var m = try PlanModel.read(approved, file: "plan.json")
        m.inputs.requestSHA512 = "00"
        let lines = PlanFile.differences(approved: approved, current: Array(m.json.pretty.utf8))
        #expect(lines.first == "the request file changed")
        #expect(PlanFile.differences(approved: approved, current: Array("{}".utf8)) == ["the documents differ"])
    }
}
