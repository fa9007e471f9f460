import Testing
@testable import DiscloseKit

@Suite("Leaf paths of decrypted records (verify's declared-field check)")
struct JSONLeafPathsTests {
    static let cases: [(String, Set<String>)] = [
        (#"{"a":1,"b":"x"}"#, ["a", "b"]),
        (#"{"to":["p1","p2"],"cc":[]}"#, ["to[]", "cc[]"]),
        (#"{"h":{"id":"<x>","ua":"y"},"att":[{"size":1},{"size":2,"name":"f"}]}"#, ["h.id", "h.ua", "att[].size", "att[].name"]),
        (#"{"k\u005fid":"v","s":"a \"quoted\" \\ tail"}"#, ["k_id", "s"]),
        (#" { "n" : null , "t" : true , "e" : {} } "#, ["n", "t", "e"]),
    ]

    @Test("paths match the data map notation", arguments: cases)
    func paths(_ c: (String, Set<String>)) throws {
        #expect(try JSONLeafPaths.collect(Array(c.0.utf8)) == c.1)
    }

    @Test("malformed records throw", arguments: [#"{"a":"#, #"{"a" 1}"#, #"{"a":"unterminated}"#, #"{"a":1}x"#, "[1,", ""])
    func malformed(_ text: String) {
        #expect(throws: InputError.self) { try JSONLeafPaths.collect(Array(text.utf8)) }
    }

    @Test("a record with an undeclared field fails the verifier's check")
    func undeclared() throws {
        let checker = FieldChecker(declared: ["a", "to[]"], csv: false)
        try Array("{\"a\":1,\"to\":[\"x\"]}\n".utf8).withUnsafeBytes { try checker.feed($0) }
        #expect(throws: InputError.self) {
            try Array("{\"a\":1,\"secret\":\"LEAK\"}\n".utf8).withUnsafeBytes { try checker.feed($0) }
        }
    }
}
