import DiscloseTestSupport
import Foundation
import Sodium
import Testing
@testable import DiscloseKit
@testable import Records

/// Subject identifiers fold ASCII only: a record identifier that equals a requested one
/// only under Unicode case folding or NFKC resolves nobody, and is counted as a look-alike.
@Suite struct LookAlikeTests {
    static let kelvin = "\u{212A}ate@example.org"   // KELVIN SIGN, lowercases to "k" under Unicode rules

    func search(_ text: String, format: DataFormat = .jsonl, kind: IdentifierKind = .email, _ subjects: [String]) throws -> IdentifierResolution {
        let dir = try! TempDir("disclose-engine")
        let f = dir.file(format == .csv ? "a.csv" : "a.jsonl", text)
        return try resolveIdentifiers(IdentifierSearch(dataset: "t", format: format, files: [f], accountField: fp("account"),
                                                       identifierField: fp("email"), kind: kind, timeField: nil, timeFormat: .rfc3339,
                                                       toleranceNanoseconds: 0, subjects: subjects.map { SubjectIdentifier($0) }))
    }

    @Test func kelvinSignDoesNotResolveTheOtherPerson() throws {
        let r = try search("""
        {"account":"KATE","email":"kate@example.org"}
        {"account":"KELVIN","email":"\(Self.kelvin)"}
        """, ["Kate@Example.org"])
        #expect(r.accounts == [["KATE"]], "only the ASCII spelling resolves")
        #expect(r.lookAlikeAccounts == [["KELVIN"]])
        #expect(r.lookAlikeRecords == [1])
    }

    @Test func aNonASCIIRequestDoesNotResolveTheASCIIAccount() throws {
        let r = try search("""
        {"account":"KATE","email":"kate@example.org"}
        {"account":"KELVIN","email":"\(Self.kelvin)"}
        """, [Self.kelvin.uppercased()])
        // Uppercasing leaves KELVIN SIGN as it is; ASCII folding matches the KELVIN account only.
        #expect(r.accounts == [["KELVIN"]])
        #expect(r.lookAlikeAccounts == [["KATE"]])
    }

    @Test func fullwidthLongSAndCaseOfNonASCIILettersAreLookAlikesInCSVToo() throws {
        let r = try search("""
        account,email
        W,ｋａｔｅ@example.org
        S,ſam@example.org
        J,JÜRGEN@example.org
        E,jürgen@example.org
        """, format: .csv, ["kate@example.org", "sam@example.org", "jürgen@EXAMPLE.org"])
        #expect(r.accounts == [[], [], ["E"]], "ü matches ü byte for byte; Ü is another byte sequence")
        #expect(r.lookAlikeAccounts == [["W"], ["S"], ["J"]])
    }

    @Test func phonesWithFullwidthDigitsAreLookAlikes() throws {
        let r = try search(#"{"account":"P","email":"+33 ６１２３４５６７８"}"#, kind: .phone, ["+33612345678"])
        #expect(r.accounts == [[]])
        #expect(r.lookAlikeRecords == [1])
    }

    @Test func normalizationFoldsASCIIOnly() {
        #expect(IdentifierKind.email.normalize(" Kate@EXAMPLE.org ") == "kate@example.org")
        #expect(IdentifierKind.email.normalize(Self.kelvin) == Self.kelvin, "no Unicode lowercasing")
        #expect(IdentifierKind.email.normalize("JÜRGEN@x.org") == "jÜrgen@x.org")
        #expect(LookAlike.key(Self.kelvin, kind: .email) == Array("kate@example.org".utf8))
        #expect(LookAlike.key("a", kind: .ipv4) == nil)
    }

    @Test func pseudonymsFoldASCIIOnly() {
        let p = Pseudonymizer(key: SecretBytes(copying: Array(repeating: 7, count: 32)))
        #expect(p.pseudonym(of: "Kate@Example.org") == p.pseudonym(of: "kate@example.org"))
        #expect(p.pseudonym(of: Self.kelvin) != p.pseudonym(of: "kate@example.org"), "two correspondents, two pseudonyms")
    }
}

/// The cheap pre-test in front of the Unicode folding never rejects a real look-alike
/// of an ASCII subject, and rejects values that share no spelling with it.
@Suite struct LookAlikePrefilterTests {
    @Test(arguments: ["\u{212A}ate@example.org", "ｋａｔｅ@example.org", "KÄTE@example.org", "kate@exämple.org", " Kate@Example.org\u{00A0}"])
    func lookAlikesPass(_ value: String) {
        let key = LookAlike.key("kate@example.org", kind: .email)!
        var v = value
        #expect(v.withUTF8 { LookAlike.mayFold(UnsafeRawBufferPointer($0), to: key, kind: .email) })
    }

    @Test func unrelatedNonASCIIValuesAreSkipped() {
        let key = LookAlike.key("kate@example.org", kind: .email)!
        var v = "jürgen@example.org"
        #expect(!v.withUTF8 { LookAlike.mayFold(UnsafeRawBufferPointer($0), to: key, kind: .email) })
        let phone = LookAlike.key("+33612345678", kind: .phone)!
        var p = "+33 ６１２３４５６７８"
        #expect(p.withUTF8 { LookAlike.mayFold(UnsafeRawBufferPointer($0), to: phone, kind: .phone) })
    }
}
