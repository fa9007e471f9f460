import DiscloseTestSupport
import Foundation
import Testing
@testable import DiscloseKit
@testable import Records

/// Well-formedness checks and byte-exact output for JSON Lines and JSON array datasets.
struct JSONRecordTests {
    static let all: [String: FieldAction] = ["account": .disclose, "ts": .disclose, "body": .disclose, "n": .disclose,
                                             "profile": .disclose, "to": .disclose, "attachments": .disclose]

    @Test func escapedKeysAndAccountIdsMatchDecoded() throws {
        let text = #"""
        {"acc\u006funt":"A\u0031","n":1}
        {"account":"A\/1","n":2}
        {"account":"A/1","n":3}
        {"account":"B1","n":4}
        """#
        let (out, stats) = try scopeText(text, accounts: ["A1", "A/1"], actions: Self.all)
        #expect(stats.recordsScanned == 4)
        #expect(stats.recordsDisclosed == 3)
        // Disclosed bytes are the input bytes, escapes and all.
        #expect(out == #"{"acc\u006funt":"A\u0031","n":1}"# + "\n" + #"{"account":"A\/1","n":2}"# + "\n" + #"{"account":"A/1","n":3}"# + "\n")
    }

    @Test func numericAccountIdsCompareByText() throws {
        let text = "{\"account\":12345678901234567890,\"n\":1}\n{\"account\":1.0,\"n\":2}\n{\"account\":1,\"n\":3}\n"
        let (out, stats) = try scopeText(text, accounts: ["12345678901234567890", "1"], actions: Self.all)
        #expect(stats.recordsDisclosed == 2)
        #expect(out.contains("12345678901234567890") && out.contains(#""n":3"#) && !out.contains(#""n":2"#))
    }

    @Test func largeNumbersAndEscapesStayByteExact() throws {
        let line = #"{"account":"A1","n":9007199254740993123,"body":"caf\u00e9 \"q\" \ud83d\ude00 é","x":1.50e+10}"#
        let (out, _) = try scopeText(line + "\n", actions: ["account": .disclose, "n": .disclose, "body": .disclose, "x": .disclose])
        #expect(out == line + "\n")
    }

    @Test func nestedObjectsAndArraysFollowPaths() throws {
        let line = #"{"account":"A1","profile":{"name":"Ann","ssn":"LEAK-1","addr":{"city":"Oslo"}},"to":["x@y.org","z@y.org"],"attachments":[{"name":"a.pdf","size":3},{"name":"b.txt","size":4}],"meta":{"secret":"LEAK-2"}}"#
        let actions: [String: FieldAction] = [
            "account": .disclose, "profile": .disclose, "profile.ssn": .withhold,
            "to[]": .disclose, "attachments[].name": .disclose, "attachments[].size": .withhold,
        ]
        let (out, stats) = try scopeText(line, actions: actions)
        #expect(out == #"{"account":"A1","profile":{"name":"Ann","addr":{"city":"Oslo"}},"to":["x@y.org","z@y.org"],"attachments":[{"name":"a.pdf"},{"name":"b.txt"}]}"# + "\n")
        #expect(stats.unmappedFields == ["meta": 1])
        #expect(stats.fieldActions["profile.ssn"] == ["withhold": 1])
        #expect(stats.fieldActions["profile"] == ["disclose": 2])
        #expect(stats.fieldActions["to[]"] == ["disclose": 2])
        #expect(stats.fieldActions["attachments[].name"] == ["disclose": 2])
        #expect(stats.fieldActions["attachments[].size"] == ["withhold": 2])
    }

    @Test func objectEmptiedByWithholdingIsOmitted() throws {
        let line = #"{"account":"A1","a":{"b":{"c":"LEAK"}},"d":[{"e":"LEAK"}],"f":{}}"#
        let (out, _) = try scopeText(line, actions: ["account": .disclose, "a.b.c": .withhold, "d[].e": .withhold, "f": .disclose])
        #expect(out == #"{"account":"A1","f":{}}"# + "\n")
    }

    /// Issue 14.10: an empty array or object whose member paths are disclosed stays in the
    /// output (so "none" differs from "withheld") and is counted; one whose paths below
    /// are all withheld, or whose type is not the one the map expects, is left out.
    @Test func emptyContainersOfDisclosedPathsAreKeptAndCounted() throws {
        let text = #"{"account":"A1","to":[],"cc":[],"att":[ ],"meta":{ },"pw":{},"lab":{},"odd":[]}"# + "\n"
            + #"{"account":"A1","to":["x"],"att":[{"name":"a","size":1}],"meta":{"a":1,"z":2}}"# + "\n"
        let (out, stats) = try scopeText(text, actions: ["account": .disclose, "to[]": .disclose, "cc": .disclose,
                                                         "att[].name": .disclose, "att[].size": .withhold, "meta.a": .mask,
                                                         "pw.x": .withhold, "lab[]": .disclose, "odd.x[]": .disclose])
        #expect(out == #"{"account":"A1","to":[],"cc":[],"att":[],"meta":{}}"# + "\n"
                + #"{"account":"A1","to":["x"],"att":[{"name":"a"}],"meta":{"a":"*"}}"# + "\n")
        #expect(stats.emptyContainers == ["to": 1, "att": 1, "meta": 1])
        #expect(stats.unmappedFields == ["meta.z": 1])
        // The verifier's declared-field check accepts what the writer keeps.
        let checker = FieldChecker(declared: ["account", "to[]", "cc", "att[].name", "meta.a", "lab[]", "odd.x[]"], csv: false)
        try Array(out.utf8).withUnsafeBytes { try checker.feed($0) }
        try checker.finish()
        #expect(checker.records == 2)
    }

    @Test func statisticsDecodeWithoutNewerCounters() throws {
        let old = #"{"recordsScanned":3,"recordsForSubjects":2,"recordsDisclosed":1,"recordsOutsideWindow":1,"recordsWithUnparseableTime":0,"fieldActions":{},"unmappedFields":{},"outputBytes":9}"#
        let s = try JSONDecoder().decode(DatasetStatistics.self, from: Data(old.utf8))
        #expect(s.recordsScanned == 3 && s.recordsWithoutAccount == 0)
        var full = s
        full.recordsWithoutAccount = 4
        full.valuesNotIPAddress = ["ip": 1]
        #expect(try JSONDecoder().decode(DatasetStatistics.self, from: JSONEncoder().encode(full)) == full)
    }

    @Test func recordWithNothingDisclosableIsEmptyObject() throws {
        let (out, stats) = try scopeText(#"{"account":"A1","x":1}"#, actions: [:])
        #expect(out == "{}\n")
        #expect(stats.recordsDisclosed == 1)
        #expect(stats.unmappedFields == ["account": 1, "x": 1])
    }

    @Test func prettyPrintedArrayDatasetBecomesJSONLines() throws {
        let text = """
        [
          {"account": "A1", "n": 1, "profile": {
              "name": "Ann"
          }},
          {"account": "B2", "n": 2},
          {"account": "A1",
           "n": 3}
        ]
        """
        let (out, stats) = try scopeText(text, format: .json, actions: Self.all)
        #expect(stats.recordsScanned == 3)
        #expect(out == "{\"account\":\"A1\",\"n\":1,\"profile\":{\"name\":\"Ann\"}}\n{\"account\":\"A1\",\"n\":3}\n")
    }

    @Test func emptyArrayDatasetAndBlankLines() throws {
        let (out1, s1) = try scopeText(" [ ] \n", format: .json, actions: Self.all)
        #expect(out1.isEmpty && s1.recordsScanned == 0)
        let (out2, s2) = try scopeText("\n{\"account\":\"A1\"}\r\n\n   \n{}\n{ }\n{\"account\":\"A1\"}", actions: Self.all)
        #expect(s2.recordsScanned == 4)
        #expect(s2.recordsWithoutAccount == 2)
        #expect(out2 == "{\"account\":\"A1\"}\n{\"account\":\"A1\"}\n")
    }

    @Test func byteOrderMarkIsIgnored() throws {
        let (out, _) = try scopeText("\u{FEFF}{\"account\":\"A1\"}\n", actions: Self.all)
        #expect(out == "{\"account\":\"A1\"}\n")
    }

    static let malformed: [(String, Int, Int, String)] = [
        // text, line, column, message fragment
        ("{\"account\":\"A1\",\"a\":1,\"a\":2}", 1, 23, "duplicate key"),
        ("{\"account\":\"A1\",\"a\":1,\"\\u0061\":2}", 1, 23, "duplicate key"),
        ("{\"account\":\"A1\",\"x\":{\"k\":1,\"k\":1}}", 1, 28, "duplicate key"),
        ("{\"a_rather_long_key_name\":1,\"a_rather_long_key_nam\\u0065\":2}", 1, 29, "duplicate key"),
        ("{\"exactly8\":1,\"exactl\\u00798\":2}", 1, 15, "duplicate key"),
        ("{\"account\":\"A1\",\"a\":\"\u{01}\"}", 1, 22, "control character"),
        ("{\"account\":\"A1\",\"a\":\"tab\there\"}", 1, 25, "control character"),
        ("{\"account\":\"A1\",\"a\":01}", 1, 22, "expected ','"),
        ("{\"account\":\"A1\",\"a\":1.}", 1, 23, "invalid number"),
        ("{\"account\":\"A1\",\"a\":-}", 1, 22, "invalid number"),
        ("{\"account\":\"A1\",\"a\":tru}", 1, 21, "invalid literal"),
        ("{\"account\":\"A1\",\"a\":\"\\x\"}", 1, 22, "invalid escape"),
        ("{\"account\":\"A1\",\"a\":\"\\ud800\"}", 1, 22, "unpaired surrogate"),
        ("{\"account\":\"A1\",\"a\":\"\\udc00x\"}", 1, 22, "unpaired surrogate"),
        ("{\"account\":\"A1\",\"a\":\"\\u12\"}", 1, 26, "four hex digits"),
        ("{\"account\":\"A1\",}", 1, 17, "expected an object key"),
        ("{\"account\":\"A1\"} x", 1, 18, "unexpected data"),
        ("[1]", 1, 1, "must be a JSON object"),
        ("{\"account\":\"A1\",\"a\":[1,]}", 1, 24, "expected a JSON value"),
        ("{\"account\":\"A1\"}\n{\"account\":\"A1\",\"a\":1\n{\"account\":\"A1\"}", 2, 22, "line ends"),
        ("{\"account\":\"A1\"}\n{\"account\":\"A1\"}\n{\"account\":\"A1\",\"b\":nul}", 3, 21, "invalid literal"),
    ]

    @Test(arguments: malformed)
    func malformedRecordsAreReportedWithLineAndColumn(text: String, line: Int, column: Int, message: String) {
        // The malformed record belongs to nobody we look for: it must be rejected anyway.
        let e = expectInputError { _ = try scopeText(text, accounts: ["nobody"], actions: Self.all) }
        #expect(e != nil)
        #expect(e?.line == line)
        #expect(e?.column == column)
        #expect(e?.message.contains(message) == true, "\(e?.message ?? "no error")")
        #expect(e?.file.hasSuffix("data.jsonl") == true)
    }

    static let badUTF8: [[UInt8]] = [
        [0xC3],                   // truncated sequence
        [0xC0, 0xAF],             // overlong '/'
        [0xE0, 0x80, 0xAF],       // overlong
        [0xF0, 0x80, 0x80, 0xAF], // overlong
        [0xED, 0xA0, 0x80],       // UTF-16 surrogate
        [0xF4, 0x90, 0x80, 0x80], // above U+10FFFF
        [0xFF],
        [0x80],                   // lone continuation
    ]

    @Test(arguments: badUTF8)
    func invalidUTF8IsRejected(bad: [UInt8]) {
        let dir = try! TempDir("disclose-engine")
        // Put the bad bytes after enough ASCII to exercise the 8-byte fast path too.
        let bytes = Array(#"{"account":"A1","body":"abcdefghijklmnop"#.utf8) + bad + Array("xyz\"}\n".utf8)
        let f = dir.file("d.jsonl", bytes)
        let e = expectInputError { _ = try runScope(makeScope([f], accounts: ["nobody"], actions: Self.all)) }
        #expect(e?.message.contains("UTF-8") == true)
        #expect(e?.column == 41)
        // Also in a key.
        let g = dir.file("k.jsonl", Array(#"{"account":"A1","k"#.utf8) + bad + Array("\":1}\n".utf8))
        let e2 = expectInputError { _ = try runScope(makeScope([g], accounts: ["nobody"], actions: Self.all)) }
        #expect(e2?.message.contains("UTF-8") == true)
    }

    @Test func validMultibyteUTF8IsAccepted() throws {
        let line = #"{"account":"A1","body":"ü € 𝄞 日本語 ÿ","ключ":"значение"}"#
        let (out, _) = try scopeText(line, actions: ["account": .disclose, "body": .disclose, "ключ": .disclose])
        #expect(out == line + "\n")
    }

    @Test func truncatedFileIsReported() {
        let e = expectInputError {
            _ = try scopeText("{\"account\":\"A1\"}\n{\"account\":\"A1\",\"body\":\"abc", accounts: ["nobody"], actions: Self.all)
        }
        #expect(e?.line == 2)
        #expect(e?.message.contains("ends inside a record") == true)
        let e2 = expectInputError { _ = try scopeText("[{\"account\":\"A1\"},", format: .json, actions: Self.all) }
        #expect(e2?.message.contains("before the array is closed") == true)
        let e3 = expectInputError { _ = try scopeText("[{\"account\":\"A1\"}] x", format: .json, actions: Self.all) }
        #expect(e3?.message.contains("after the closing") == true)
    }

    @Test func nestingLimit() throws {
        let depth = JSONScanner.maxDepth
        let ok = "{\"account\":\"A1\",\"a\":" + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "}"
        let (_, stats) = try scopeText(ok, accounts: ["nobody"], actions: Self.all)
        #expect(stats.recordsScanned == 1)
        let deep = "{\"account\":\"A1\",\"a\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        let e = expectInputError { _ = try scopeText(deep, accounts: ["nobody"], actions: Self.all) }
        #expect(e?.message.contains("nesting deeper") == true)
    }

    @Test func oneMegabyteLineAndRecordsSpanningBuffers() throws {
        // Many records around a 1 MB one, more than one 4 MiB buffer in total.
        let big = String(repeating: "abcdefghij", count: 100_000) + "\\n\\u00e9"
        var text = ""
        for i in 0..<60_000 { text += "{\"account\":\"\(i % 7 == 0 ? "A1" : "B")\",\"n\":\(i),\"body\":\"some text \(i)\"}\n" }
        text += "{\"account\":\"A1\",\"n\":-1,\"body\":\"\(big)\"}\n"
        for i in 0..<60_000 { text += "{\"account\":\"B\",\"n\":\(i)}\n" }
        let (out, stats) = try scopeText(text, actions: Self.all)
        #expect(stats.recordsScanned == 120_001)
        #expect(stats.recordsDisclosed == 60_000 / 7 + 1 + 1)
        #expect(out.contains(big))
        #expect(stats.outputBytes == out.utf8.count)
    }

    @Test func recordSizeLimit() throws {
        let dir = try! TempDir("disclose-engine")
        let f = dir.file("d.jsonl", "{\"account\":\"A1\"}\n{\"account\":\"A1\",\"body\":\"" + String(repeating: "x", count: 5000) + "\"}\n")
        let reader = try JSONRecordReader(url: f, format: .jsonl, scanner: JSONScanner(targets: [], jsonLines: true),
                                          chunkSize: 256, maxRecordBytes: 1024)
        var seen = 0
        let e = expectInputError { try reader.forEachRecord { _ in seen += 1 } }
        #expect(seen == 1)
        #expect(e?.line == 2 && e?.column == 1)
        #expect(e?.message.contains("record longer than") == true)
    }

    /// Tiny buffers force every record, key, escape and UTF-8 sequence to straddle a refill.
    @Test(arguments: [1, 7, 64])
    func recordsStraddlingTinyBuffers(chunk: Int) throws {
        let dir = try! TempDir("disclose-engine")
        let lines = (0..<40).map { i in
            "{\"account\":\"A\(i % 3)\",\"k\\u00e9\":\"v é 𝄞 \\ud83d\\ude00\",\"n\":[\(i),-1.5e3,true,false,null],\"o\":{}}"
        }
        let text = lines.joined(separator: "\r\n")
        for (format, content) in [(DataFormat.jsonl, text), (.json, "[" + lines.joined(separator: ",\n") + "]")] {
            let f = dir.file("d.\(format.rawValue)", content)
            let scanner = JSONScanner(targets: [fp("account")], jsonLines: format == .jsonl)
            let reader = try JSONRecordReader(url: f, format: format, scanner: scanner, chunkSize: chunk)
            var records: [String] = []
            try reader.forEachRecord { r in
                records.append(String(decoding: UnsafeBufferPointer(start: r.base + r.start, count: r.end - r.start), as: UTF8.self))
                #expect(scanner.captures.count == 1)
            }
            #expect(records == lines)
        }
    }

    @Test func wrongTypeForAccountOrTimeIsAnError() {
        let e = expectInputError { _ = try scopeText("{\"account\":{\"id\":\"A1\"}}", actions: Self.all) }
        #expect(e?.field == "account")
        #expect(e?.message.contains("not an object or array") == true)
        let e2 = expectInputError {
            _ = try scopeText("{\"account\":\"B\",\"ts\":[1]}", accounts: ["nobody"], actions: Self.all, time: "ts")
        }
        #expect(e2?.field == "ts")
    }

    @Test func recordsWithoutAccountAreCounted() throws {
        let (out, stats) = try scopeText("{\"n\":1}\n{\"account\":null}\n{\"account\":\"A1\"}\n", actions: Self.all)
        #expect(stats.recordsWithoutAccount == 2)
        #expect(stats.recordsDisclosed == 1)
        #expect(out == "{\"account\":\"A1\"}\n")
    }

    @Test func nestedAccountAndTimePaths() throws {
        let text = "{\"user\":{\"id\":\"A1\"},\"meta\":{\"at\":1709251200},\"n\":1}\n{\"user\":{\"id\":\"A1\"},\"meta\":{\"at\":1},\"n\":2}\n"
        let dir = try! TempDir("disclose-engine")
        let f = dir.file("d.jsonl", text)
        let s = makeScope([f], account: "user.id", time: "meta.at", timeFormat: .epochSeconds,
                          window: at("2024-01-01")...at("2025-01-01"), actions: ["user": .disclose, "meta": .disclose, "n": .disclose])
        let (out, stats) = try runScope(s)
        #expect(stats.recordsForSubjects == 2 && stats.recordsDisclosed == 1 && stats.recordsOutsideWindow == 1)
        #expect(out == "{\"user\":{\"id\":\"A1\"},\"meta\":{\"at\":1709251200},\"n\":1}\n")
    }

    @Test func similarKeysAreNotDuplicates() throws {
        let line = #"{"account":"A1","abcdefgh":1,"abcdefghi":2,"abcdefgh_":3,"a":4,"a\u0000":5,"é":6,"e\u0301":7}"#
        let (_, stats) = try scopeText(line, accounts: ["nobody"], actions: Self.all)
        #expect(stats.recordsScanned == 1)
    }

    @Test func manyKeysUseTheHashSetDuplicateCheck() throws {
        var keys = (0..<100).map { "\"k\($0)\":\($0)" }
        let ok = "{\"account\":\"A1\"," + keys.joined(separator: ",") + "}"
        let (_, stats) = try scopeText(ok, accounts: ["nobody"], actions: Self.all)
        #expect(stats.recordsScanned == 1)
        keys.append("\"k5\":0")
        let dup = "{\"account\":\"A1\"," + keys.joined(separator: ",") + "}"
        let e = expectInputError { _ = try scopeText(dup, accounts: ["nobody"], actions: Self.all) }
        #expect(e?.message.contains("duplicate key") == true)
    }
}
