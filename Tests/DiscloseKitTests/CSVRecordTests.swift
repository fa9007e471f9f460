import DiscloseTestSupport
import Foundation
import Testing
@testable import DiscloseKit
@testable import Records

/// RFC 4180 reading and CSV output.
struct CSVRecordTests {
    static let all: [String: FieldAction] = ["account": .disclose, "ts": .disclose, "name": .disclose, "note": .disclose]

    @Test func quotedFieldsStayByteExact() throws {
        let text = "account,name,note\r\n"
            + "A1,\"Doe, Jane\",\"she said \"\"hi\"\"\"\r\n"
            + "B2,x,y\r\n"
            + "A1,plain,\"two\r\nlines, and \"\"quotes\"\"\"\r\n"
            + "\"A1\",,\"\"\r\n"
        let (out, stats) = try scopeText(text, format: .csv, actions: Self.all)
        #expect(stats.recordsScanned == 4)
        #expect(stats.recordsDisclosed == 3)
        #expect(out == "account,name,note\r\n"
            + "A1,\"Doe, Jane\",\"she said \"\"hi\"\"\"\r\n"
            + "A1,plain,\"two\r\nlines, and \"\"quotes\"\"\"\r\n"
            + "\"A1\",,\"\"\r\n")
    }

    @Test func keptColumnsOnlyAndLFInput() throws {
        let text = "\u{FEFF}account,secret,name\nA1,LEAK-MARKER-CSV,Ann\nA1,LEAK-MARKER-CSV,\"Bo\"\n"
        let (out, stats) = try scopeText(text, format: .csv, actions: ["account": .disclose, "name": .disclose])
        #expect(out == "account,name\r\nA1,Ann\r\nA1,\"Bo\"\r\n")
        #expect(stats.unmappedFields == ["secret": 2])
        #expect(stats.fieldActions["name"] == ["disclose": 2])
    }

    @Test func emptyFileAndHeaderOnly() throws {
        let (out1, s1) = try scopeText("", format: .csv, actions: Self.all)
        #expect(out1.isEmpty && s1.recordsScanned == 0)
        let (out2, s2) = try scopeText("account,name\r\n", format: .csv, actions: Self.all)
        #expect(out2 == "account,name\r\n" && s2.recordsScanned == 0)
    }

    @Test func missingFinalLineEndAndQuotedLastField() throws {
        let (out, _) = try scopeText("account,name\nA1,\"x\"", format: .csv, actions: Self.all)
        #expect(out == "account,name\r\nA1,\"x\"\r\n")
    }

    static let malformed: [(String, Int, String)] = [
        ("account,name\nA1,ok\nA1,\"unterminated\nmore\n", 3, "unterminated quoted field"),
        ("account,name\nA1,ok\nA1\n", 3, "ragged row"),
        ("account,name\nA1,ok,extra\n", 2, "ragged row"),
        ("account,name\nA1,x\"y\n", 2, "quote inside an unquoted field"),
        ("account,name\nA1,\"x\"y\n", 2, "after a closing quote"),
        ("account,name\nA1,x\ry\n", 2, "carriage return"),
        ("account,account\nA1,x\n", 1, "duplicate column"),
    ]

    @Test(arguments: malformed)
    func malformedCSVIsReportedWithFileAndLine(text: String, line: Int, message: String) {
        let e = expectInputError { _ = try scopeText(text, format: .csv, accounts: ["nobody"], actions: Self.all) }
        #expect(e?.line == line)
        #expect(e?.message.contains(message) == true, "\(e?.message ?? "no error")")
        #expect(e?.file.hasSuffix("data.csv") == true)
    }

    @Test func invalidUTF8InCSVIsRejected() {
        let dir = try! TempDir("disclose-engine")
        let f = dir.file("d.csv", Array("account,name\nA1,ab".utf8) + [0xC0, 0xAF] + [0x0A])
        let e = expectInputError { _ = try runScope(makeScope([f], format: .csv, time: nil, accounts: ["nobody"], actions: Self.all)) }
        #expect(e?.message.contains("UTF-8") == true)
        #expect(e?.line == 2 && e?.column == 6)
    }

    @Test func missingAccountColumnIsAnError() {
        let e = expectInputError { _ = try scopeText("id,name\nA1,x\n", format: .csv, actions: Self.all) }
        #expect(e?.field == "account")
    }

    @Test func timeWindowAndTransformsInCSV() throws {
        let text = "account,ts,name,ip\n"
            + "A1,2024-03-01T10:00:00Z,\"Doe, Jane\",192.0.2.77\n"
            + "A1,not-a-time,x,192.0.2.1\n"
            + "A1,2023-01-01T00:00:00Z,y,192.0.2.1\n"
            + "A1,2024-03-01T11:00:00Z,z,nonsense\n"
        let dir = try! TempDir("disclose-engine")
        let f = dir.file("d.csv", text)
        let s = makeScope([f], format: .csv, window: at("2024-03-01")...at("2024-03-02"),
                          actions: ["account": .disclose, "ts": .disclose, "name": .mask, "ip": .ipPrefix])
        let (out, stats) = try runScope(s)
        #expect(out == "account,ts,name,ip\r\nA1,2024-03-01T10:00:00Z,\"***, ****\",192.0.2.0/24\r\nA1,2024-03-01T11:00:00Z,*,\r\n")
        #expect(stats.recordsWithUnparseableTime == 1)
        #expect(stats.recordsOutsideWindow == 1)
        #expect(stats.valuesNotIPAddress == ["ip": 1])
        #expect(stats.fieldActions["ip"] == ["ip_prefix": 1, "withhold": 1])
    }

    @Test func multipleFilesShareOneHeader() throws {
        let dir = try! TempDir("disclose-engine")
        let a = dir.file("a.csv", "account,name\nA1,x\n")
        let b = dir.file("b.csv", "account,name\r\nA1,y\r\n")
        let (out, stats) = try runScope(makeScope([a, b], format: .csv, time: nil, actions: Self.all))
        #expect(out == "account,name\r\nA1,x\r\nA1,y\r\n")
        #expect(stats.recordsDisclosed == 2)
        let c = dir.file("c.csv", "name,account\ny,A1\n")
        let e = expectInputError { _ = try runScope(makeScope([a, c], format: .csv, time: nil, actions: Self.all)) }
        #expect(e?.message.contains("header differs") == true)
    }

    @Test(arguments: [1, 5, 64])
    func recordsStraddlingTinyBuffers(chunk: Int) throws {
        let dir = try! TempDir("disclose-engine")
        let rows = (0..<30).map { "A\($0 % 2),\"q \"\"\($0)\"\" ,\r\n é\",plain\($0)" }
        let f = dir.file("d.csv", "account,name,note\r\n" + rows.joined(separator: "\r\n") + "\r\n")
        let csv = try CSVReader(url: f, chunkSize: chunk)
        #expect(try csv.readHeader())
        #expect(csv.header == ["account", "name", "note"])
        var got: [String] = []
        var scratch: [UInt8] = []
        try csv.forEachRecord { base in
            let fs = csv.fields
            let raw = fs.map { String(decoding: UnsafeBufferPointer(start: base + $0.start, count: $0.end - $0.start), as: UTF8.self) }
            got.append(raw.joined(separator: ","))
            fs[1].decoded(base, into: &scratch)
            #expect(String(decoding: scratch, as: UTF8.self).hasPrefix("q \""))
        }
        #expect(got == rows)
    }
}
