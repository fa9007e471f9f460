import DiscloseTestSupport
import Foundation
import Testing

/// Bad input: exit 2, one `disclose: error:` line naming the file (and the line where
/// there is one), no stack trace, and no plan file written.
@Suite("Bad input")
struct BadInputTests {
    enum BadInput: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case malformedJSONLine, unterminatedCSVQuote, invalidUTF8, missingDataFile, unknownRequestKey, invertedWindow
        var testDescription: String { rawValue }
    }

    /// Replaces line `n` (1-based; `n` = count + 1 appends) of a file with `bytes` inserted before it.
    private func insert(_ bytes: [UInt8], beforeLine n: Int, of path: String) throws {
        var b = try Files.bytes(path)
        var line = 1, i = 0
        while line < n, i < b.count { if b[i] == 0x0A { line += 1 }; i += 1 }
        b.insert(contentsOf: bytes + [0x0A], at: i)
        try Files.write(b, path)
    }

    @Test("plan exits 2 naming the file and line, and writes no plan", arguments: BadInput.allCases)
    func badInputIsRejected(_ bad: BadInput) throws {
        let ws = try Workspace("disclose-badinput")
        var request = Workspace.request(Workspace.case1)
        let mentions: [String]
        switch bad {
        case .malformedJSONLine:
            // A line that is nobody's record, in the middle: every record is checked, not only the subject's.
            try insert(Array(#"{"account_id":"acc_4242","sent_at":"#.utf8), beforeLine: 100, of: ws.example("data/messages.jsonl"))
            mentions = ["data/messages.jsonl:100:"]
        case .unterminatedCSVQuote:
            // Appended as the last record (a quote opened at the end runs to the end of the file).
            let line = try Files.bytes(ws.example("data/files.csv")).filter { $0 == 0x0A }.count + 1
            try Files.append("acc_4242,1790805600,\"unterminated.txt,12,,,198.51.100.1\r\n", ws.example("data/files.csv"))
            mentions = ["data/files.csv:\(line):", "unterminated quoted field"]
        case .invalidUTF8:
            let record = Array(#"{"account_id":"acc_4242","ts":"2026-10-10T00:00:00Z","ip":"198.51.100.1","user_agent":"bad "#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
            try insert(record, beforeLine: 10, of: ws.example("data/logins/2026-10.jsonl"))
            mentions = ["data/logins/2026-10.jsonl:10:", "UTF-8"]
        case .missingDataFile:
            try FileManager.default.removeItem(atPath: ws.example("data/files.csv"))
            mentions = ["datamap.json", "files.csv", "does not exist"]
        case .unknownRequestKey:
            request = "cases/bad-request.json"
            let text = try String(contentsOfFile: ws.example(Workspace.request(Workspace.case1)), encoding: .utf8)
            try text.replacingOccurrences(of: "\"authority\":", with: "\"authorty\": \"x\",\n  \"authority\":")
                .write(toFile: ws.example(request), atomically: true, encoding: .utf8)
            mentions = ["cases/bad-request.json:4:", "'authorty'", "unknown key"]
        case .invertedWindow:
            request = "cases/bad-request.json"
            let text = try String(contentsOfFile: ws.example(Workspace.request(Workspace.case1)), encoding: .utf8)
            try text.replacingOccurrences(of: "\"from\": \"2026-10-01T00:00:00+02:00\"", with: "\"from\": \"2026-12-01T00:00:00+02:00\"")
                .write(toFile: ws.example(request), atomically: true, encoding: .utf8)
            mentions = ["cases/bad-request.json:", "window", "inverted"]
        }
        let plan = ws.output("plan.json")
        let r = try ws.disclose("plan", request, "--out", plan)
        #expect(r.status == 2, "\(r)")
        #expect(r.stderr.hasPrefix("disclose: error: "), "\(r)")
        for m in mentions { #expect(r.stderr.contains(m), "expected '\(m)' in:\n\(r)") }
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump"))
        #expect(r.stdout.isEmpty, "no partial report: \(r.stdout.prefix(200))")
        #expect(!Files.exists(plan), "no plan written")
        #expect(Files.names(ws.out).isEmpty, "no temporary file left either")
        #expect(try !ws.auditEvents().contains("planned"))

        // export of an approved plan hits the same error the same way, writing nothing.
        if bad != .unknownRequestKey && bad != .invertedWindow {
            let fresh = try Workspace("disclose-badinput")
            let approved = try fresh.approvedPlan()
            try FileManager.default.removeItem(atPath: fresh.examples + "/data")
            try FileManager.default.copyItem(atPath: ws.examples + "/data", toPath: fresh.examples + "/data")
            let e = try fresh.disclose("export", approved, "--out", fresh.output("bundle"))
            #expect(e.status == 2, "\(e)")
            for m in mentions { #expect(e.stderr.contains(m), "expected '\(m)' in:\n\(e)") }
            #expect(!Files.exists(fresh.output("bundle")))
            #expect(!Files.names(fresh.out).contains { $0.contains("partial") })
        }
    }
}
