import Foundation
import Testing
@testable import DiscloseKit
@testable import Records

/// verify's declared-field check: every leaf of every decrypted record must lie at or
/// below a declared path, whatever the nesting, arrays, escapes and spacing.
@Suite("Declared fields of decrypted records (verify)")
struct FieldCheckerTests {
    /// Records and their leaf paths in the data map's notation.
    static let cases: [(String, Set<String>)] = [
        (#"{"a":1,"b":"x"}"#, ["a", "b"]),
        (#"{"to":["p1","p2"],"cc":[]}"#, ["to[]", "cc[]"]),
        (#"{"h":{"id":"<x>","ua":"y"},"att":[{"size":1},{"size":2,"name":"f"}]}"#, ["h.id", "h.ua", "att[].size", "att[].name"]),
        (#"{"k\u005fid":"v","s":"a \"quoted\" \\ tail"}"#, ["k_id", "s"]),
        (#" { "n" : null , "t" : true , "e" : {} } "#, ["n", "t", "e"]),
        (#"{"m":[[1,2],[]],"z":-1.5e3}"#, ["m[][]", "z"]),
    ]

    /// Feeds `text` plus a newline, in pieces of `piece` bytes.
    static func check(_ text: String, declared: Set<String>, piece: Int = 1 << 20) throws -> Int {
        let checker = FieldChecker(declared: declared, csv: false)
        let bytes = Array((text + "\n").utf8)
        var i = 0
        while i < bytes.count {
            let j = min(bytes.count, i + piece)
            try bytes[i..<j].withUnsafeBytes { try checker.feed($0) }
            i = j
        }
        try checker.finish()
        return checker.records
    }

    @Test("exactly the leaf paths pass, in any chunking", arguments: cases)
    func leavesPass(_ c: (String, Set<String>)) throws {
        for piece in [1, 2, 7, 1 << 20] {
            #expect(try Self.check(c.0, declared: c.1, piece: piece) == 1)
        }
    }

    @Test("each leaf left undeclared is named (or the path step that leads to it)", arguments: cases)
    func eachLeafIsNeeded(_ c: (String, Set<String>)) {
        for leaf in c.1 {
            do {
                _ = try Self.check(c.0, declared: c.1.subtracting([leaf]))
                Issue.record("accepted \(c.0) without \(leaf) declared")
            } catch let e as InputError {
                // The leaf, or the first step of its path that nothing declared reaches.
                let named = e.field ?? "?"
                #expect(leaf == named || leaf.hasPrefix(named + ".") || leaf.hasPrefix(named + "[]"), "\(named) for \(leaf)")
                #expect(e.message == "record holds a field the manifest does not declare")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test("a declared path covers everything below it")
    func prefixesCover() throws {
        #expect(try Self.check(Self.cases[2].0, declared: ["h", "att"]) == 1)
        #expect(try Self.check(Self.cases[2].0, declared: ["h", "att[]"]) == 1)
        #expect(try Self.check(#"{"to":[]}"#, declared: ["to"]) == 1)
        // A name that merely starts like a declared one is not covered.
        #expect(throws: InputError.self) { try Self.check(#"{"ab":1}"#, declared: ["a"]) }
        // A scalar or empty object where only deeper paths are declared is a leaf of its own.
        #expect(throws: InputError.self) { try Self.check(#"{"to":"x"}"#, declared: ["to[]"]) }
        #expect(throws: InputError.self) { try Self.check(#"{"to":{}}"#, declared: ["to[]"]) }
        // The record with nothing disclosed.
        #expect(try Self.check("{}", declared: []) == 1)
    }

    @Test("malformed records throw", arguments: [#"{"a":"#, #"{"a" 1}"#, #"{"a":"unterminated}"#, #"{"a":1}x"#, "[1,", "",
                                                 #"{"a":1,}"#, #"{"a\u00":1}"#, #"{"a":[1}"#])
    func malformed(_ text: String) {
        #expect(throws: InputError.self) { try Self.check(text, declared: ["a", "a[]"]) }
    }

    @Test("records across chunk boundaries are checked one by one")
    func records() throws {
        let lines = (0..<50).map { #"{"a":\#($0),"b":"\#(String(repeating: "x", count: $0))"}"# }
        #expect(try Self.check(lines.joined(separator: "\n"), declared: ["a", "b"], piece: 13) == 50)
        let leak = lines.prefix(30) + [#"{"a":1,"secret":"LEAK"}"#] + lines.suffix(5)
        do {
            _ = try Self.check(leak.joined(separator: "\n"), declared: ["a", "b"], piece: 13)
            Issue.record("accepted an undeclared field")
        } catch let e as InputError {
            #expect(e.field == "secret" && e.line == 31)
        }
        // An unterminated last record.
        let checker = FieldChecker(declared: ["a"], csv: false)
        try Array(#"{"a":1}"#.utf8).withUnsafeBytes { try checker.feed($0) }
        #expect(throws: InputError.self) { try checker.finish() }
    }
}
