import DiscloseTestSupport
import DiscloseKit
import Foundation
import Testing

/// The plan document of every example request, compared byte for byte with the expected
/// document checked in under Golden/. Re-record with DISCLOSE_RECORD_GOLDEN=1: the files
/// are rewritten AND the test fails, so a re-record never passes silently.
@Suite("Golden plans")
struct GoldenPlanTests {
    static let goldenDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path
    static let recording = ProcessInfo.processInfo.environment["DISCLOSE_RECORD_GOLDEN"] == "1"

    /// Every request file of every case: (case directory, request file name).
    static let requests: [GoldenCase] = {
        let casesDir = Binary.packageRoot + "/Examples/cases"
        return Files.names(casesDir).flatMap { c in
            Files.names(casesDir + "/" + c).filter { $0.hasPrefix("request") && $0.hasSuffix(".json") }.map { GoldenCase(caseName: c, request: $0) }
        }
    }()

    struct GoldenCase: Sendable, CustomTestStringConvertible {
        var caseName: String
        var request: String
        /// `<case>.plan.json` for request.json, `<case>.<stem>.plan.json` for the others.
        var goldenName: String {
            request == "request.json" ? "\(caseName).plan.json" : "\(caseName).\(request.dropLast(5)).plan.json"
        }
        var testDescription: String { "\(caseName)/\(request)" }
        /// Exit status plan gives for it.
        var expectedStatus: Int32 { caseName.contains("refused") ? 1 : 0 }
    }

    @Test("plan --out and plan --json give the checked-in plan document, the same on every run", arguments: requests)
    func planMatchesGolden(_ c: GoldenCase) throws {
        let ws = try Workspace("disclose-golden")
        let request = Workspace.request(c.caseName, c.request)
        try Self.seedCaseNonce(ws, request: request)
        let first = ws.output("first.json"), second = ws.output("second.json")
        let r1 = try ws.disclose("plan", request, "--out", first)
        #expect(r1.status == c.expectedStatus, "\(r1)")
        let r2 = try ws.disclose("plan", request, "--json", "--out", second)
        #expect(r2.status == c.expectedStatus, "\(r2)")
        let doc = try Files.bytes(first)
        #expect(try Files.bytes(second) == doc, "the plan is deterministic: two runs give the same bytes")
        #expect(Array(r2.stdout.utf8) == doc, "--json prints exactly the document --out writes")
        // From another directory, with --config and an absolute request path: the same plan.
        let r3 = try Run.disclose(["plan", ws.example(request), "--config", ws.example("disclose.json"), "--json"], in: ws.out)
        #expect(r3.status == c.expectedStatus, "\(r3)")
        #expect(Array(r3.stdout.utf8) == doc, "the plan does not depend on the working directory")

        let golden = Self.goldenDir + "/" + c.goldenName
        if Self.recording {
            try FileManager.default.createDirectory(atPath: Self.goldenDir, withIntermediateDirectories: true)
            try Files.write(doc, golden)
            Issue.record("re-recorded \(c.goldenName); unset DISCLOSE_RECORD_GOLDEN, review the diff and commit it")
            return
        }
        let expected = try #require(try? Files.bytes(golden), "no golden file \(golden); record it with DISCLOSE_RECORD_GOLDEN=1")
        if expected != doc {
            let a = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let b = String(decoding: doc, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let diffs = (0..<max(a.count, b.count)).filter { i in i >= a.count || i >= b.count || a[i] != b[i] }.prefix(10).map { i in
                "line \(i + 1):\n  golden: \(i < a.count ? String(a[i]) : "<none>")\n  now:    \(i < b.count ? String(b[i]) : "<none>")"
            }
            Issue.record("plan of \(c.testDescription) differs from Golden/\(c.goldenName) (re-record with DISCLOSE_RECORD_GOLDEN=1 if intended):\n\(diffs.joined(separator: "\n"))")
        }
        // Plans name inputs relative to the configuration, never where the copy lives.
        #expect(!String(decoding: doc, as: UTF8.self).contains(ws.root))
    }

    /// The nonce of every golden case. A case's nonce is random (it keys the pseudonyms);
    /// the golden plans are those of a case whose nonce the audit log already holds, as
    /// after a first plan, so they are reproducible.
    static let caseNonce = String(repeating: "0123456789abcdef", count: 4)

    /// Records `caseNonce` for the request in the workspace's audit log (a `planned` entry).
    static func seedCaseNonce(_ ws: Workspace, request: String) throws {
        let parsed = try Request.load(path: ws.example(request), policy: try Policy.load(path: ws.example("policy.json")))
        try AuditLog(path: ws.example("state/audit.jsonl")).append(event: "planned", caseID: parsed.id, facts: [
            (CaseNonce.factName, .string(parsed.canonicalDigest)), ("case_nonce", .string(caseNonce)),
        ])
    }

    @Test("every golden file belongs to an example request (no stale goldens)")
    func noStaleGoldens() {
        let expected = Set(Self.requests.map(\.goldenName))
        let present = Set(Files.names(Self.goldenDir).filter { $0.hasSuffix(".plan.json") })
        #expect(present.subtracting(expected).isEmpty, "stale: \(present.subtracting(expected).sorted())")
        if !Self.recording { #expect(expected.subtracting(present).isEmpty, "missing: \(expected.subtracting(present).sorted())") }
    }
}
