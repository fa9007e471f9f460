import Foundation
import Primitives
import Testing
@testable import DiscloseKit

/// The one JSON string escaper and the one CSV quoter (Primitives): every byte class,
/// and that the document writer and the CSV report use exactly them.
@Suite("One JSON escaper, one CSV quoter")
struct TextQuotingTests {
    static func json(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        JSONString.append(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test("every control byte 0x00-0x1F is escaped; \\n \\r \\t by name, the rest as \\u00xx")
    func controlBytes() {
        for b in UInt8(0)..<0x20 {
            let expected: String
            switch b {
            case 0x0A: expected = #""\n""#
            case 0x0D: expected = #""\r""#
            case 0x09: expected = #""\t""#
            default: expected = "\"\\u00" + String(format: "%02x", b) + "\""
            }
            #expect(Self.json([b]) == expected, "byte \(b)")
        }
    }

    @Test("DEL and U+2028 / U+2029 are escaped so a pasted document keeps its lines")
    func deleteAndSeparators() {
        #expect(Self.json([0x7F]) == #""\u007f""#)
        #expect(Self.json(Array("a\u{2028}b\u{2029}c".utf8)) == #""a\u2028b\u2029c""#)
        var out: [UInt8] = []
        JSONString.append([0xE2, 0x80], to: &out)
        #expect(out == [0x22, 0xE2, 0x80, 0x22], "a truncated sequence at the end is copied, not misread")
        #expect(Self.json(Array("\u{2027}\u{202A}".utf8)) == "\"\u{2027}\u{202A}\"", "neighbours of the separators pass through")
    }

    @Test("quotes and backslashes are escaped; non-ASCII passes through unchanged")
    func quotesBackslashAndUnicode() {
        #expect(Self.json(Array(#"say "hi" \ bye"#.utf8)) == #""say \"hi\" \\ bye""#)
        let text = "Zoë 東京 😀 / ½"
        #expect(Self.json(Array(text.utf8)) == "\"" + text + "\"")
        #expect(JSONString.quoted(text) == "\"" + text + "\"")
    }

    @Test("the one-copy path for plain contiguous bytes and the byte-by-byte path agree on every input")
    func fastAndSlowPathsAgree() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x00, 0x09, 0x0A, 0x1F, 0x20, 0x22, 0x41, 0x5C, 0x7E, 0x7F, 0x80, 0xA8, 0xA9, 0xC3, 0xA9, 0xE2, 0x80]
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            var contiguous: [UInt8] = [], generic: [UInt8] = []
            JSONString.append(bytes, to: &contiguous)
            JSONString.append(bytes.lazy.map { $0 }, to: &generic)     // no contiguous storage: the general path
            #expect(contiguous == generic, "\(bytes)")
        }
    }

    @Test("the document writer (JSONOutput) escapes with the same rule, byte for byte")
    func documentsUseTheSameRule() {
        let samples = ["plain", "tab\there", "nul\u{0}", "del\u{7F}", "sep\u{2028}\u{2029}", #"q"\"#, "Zoë 😀"]
        for s in samples {
            #expect(JSONOutput.string(s).compact == Self.json(Array(s.utf8)), "\(s.debugDescription)")
        }
    }

    @Test("CSV fields are quoted only when they hold a comma, quote, CR or LF; inner quotes doubled")
    func csvQuoting() {
        #expect(CSVQuoting.quoted("plain") == "plain")
        #expect(CSVQuoting.quoted("a,b") == #""a,b""#)
        #expect(CSVQuoting.quoted(#"say "hi""#) == #""say ""hi""""#)
        #expect(CSVQuoting.quoted("line\nbreak") == "\"line\nbreak\"")
        #expect(CSVQuoting.quoted("cr\rlf") == "\"cr\rlf\"")
        #expect(CSVQuoting.quoted("crlf\r\n") == "\"crlf\r\n\"", "a CR LF pair is two bytes, not one grapheme that matches neither")
        #expect(CSVQuoting.quoted("Zoë; 東京") == "Zoë; 東京")
        var out: [UInt8] = []
        CSVQuoting.append(Array("x\"y".utf8), to: &out)
        #expect(out == Array(#""x""y""#.utf8))
    }
}
