import DiscloseTestSupport
import Foundation
import Testing
@testable import DiscloseKit

struct IdentifierResolutionTests {
    static let accountsJSONL = """
    {"account":"A1","email":" Alice@Example.COM ","phone":"+33 (6) 12-34.56.78","emails":["a.alt@example.org"]}
    {"account":"A2","email":"bob@example.com","phone":"+33612345679"}
    {"acc\\u006funt":"A\\u0033","email":"alice@example.com"}
    {"account":42,"email":"num@example.com","phone":33612345678}
    {"email":"orphan@example.com"}
    """

    func search(_ file: URL, format: DataFormat = .jsonl, field: String, kind: IdentifierKind, time: String? = nil,
                tolerance: Int64 = 0, _ subjects: [SubjectIdentifier]) throws -> IdentifierResolution {
        try resolveIdentifiers(IdentifierSearch(dataset: "t", format: format, files: [file], accountField: fp("account"),
                                                identifierField: fp(field), kind: kind, timeField: time.map(fp),
                                                timeFormat: .rfc3339, toleranceNanoseconds: tolerance, subjects: subjects))
    }

    @Test func emailIsTrimmedAndCaseInsensitive() throws {
        let dir = try! TempDir("disclose-engine")
        let f = dir.file("a.jsonl", Self.accountsJSONL)
        let r = try search(f, field: "email", kind: .email,
                           [SubjectIdentifier("ALICE@example.com"), SubjectIdentifier("nobody@example.com"), SubjectIdentifier("num@example.com")])
        #expect(r.accounts == [["A1", "A3"], [], ["42"]])
        #expect(r.recordsScanned == 5)
        #expect(r.recordsWithoutAccount == 1)
    }

    @Test func identifierInArrays() throws {
        let dir = try! TempDir("disclose-engine")
        let f = dir.file("a.jsonl", Self.accountsJSONL)
        let r = try search(f, field: "emails[]", kind: .email, [SubjectIdentifier("A.ALT@example.org")])
        #expect(r.accounts == [["A1"]])
    }

    @Test func phoneIsNormalized() throws {
        let dir = try! TempDir("disclose-engine")
        let f = dir.file("a.jsonl", Self.accountsJSONL)
        let r = try search(f, field: "phone", kind: .phone, [SubjectIdentifier("+33 6 12 34 56 78"), SubjectIdentifier("33612345678")])
        #expect(r.accounts == [["A1"], ["42"]])
        #expect(IdentifierKind.phone.normalize("+1 (555) 010-9999") == "+15550109999")
        #expect(IdentifierKind.phone.normalize("call me") == nil)
        #expect(IdentifierKind.email.normalize("  X@Y.org ") == "x@y.org")
    }

    @Test func accountIdMatchesDecoded() throws {
        let dir = try! TempDir("disclose-engine")
        let f = dir.file("a.jsonl", Self.accountsJSONL)
        let r = try search(f, field: "account", kind: .accountID, [SubjectIdentifier("A3"), SubjectIdentifier("42"), SubjectIdentifier("A9")])
        #expect(r.accounts == [["A3"], ["42"], []])
    }

    @Test func ipAddressesWithTimeTolerance() throws {
        let dir = try! TempDir("disclose-engine")
        let f = dir.file("logins.jsonl", """
        {"account":"A1","ip":"2001:db8::1","ts":"2024-03-01T10:00:00Z"}
        {"account":"A2","ip":"2001:0db8:0:0:0:0:0:1","ts":"2024-03-01T10:04:59Z"}
        {"account":"A3","ip":"2001:db8::1","ts":"2024-03-01T10:05:01Z"}
        {"account":"A4","ip":"2001:db8::1","ts":"garbage"}
        {"account":"B1","ip":"192.0.2.7","ts":"2024-03-01T09:55:00Z"}
        {"account":"B2","ip":"::ffff:192.0.2.7","ts":"2024-03-01T10:00:00+00:00"}
        {"account":"B3","ip":"192.0.2.70","ts":"2024-03-01T10:00:00Z"}
        {"account":"B4","ip":"not an ip","ts":"2024-03-01T10:00:00Z"}
        """)
        let t = at("2024-03-01T10:00:00Z")
        let five: Int64 = 300 * 1_000_000_000
        let v6 = try search(f, field: "ip", kind: .ipv6, time: "ts", tolerance: five, [SubjectIdentifier("2001:DB8:0::1", time: t)])
        #expect(v6.accounts == [["A1", "A2"]])
        #expect(v6.recordsWithUnparseableTime == 1)
        let v4 = try search(f, field: "ip", kind: .ipv4, time: "ts", tolerance: five, [SubjectIdentifier("192.0.2.7", time: t)])
        #expect(v4.accounts == [["B1", "B2"]])
        let noTime = try search(f, field: "ip", kind: .ipv6, time: "ts", [SubjectIdentifier("2001:db8::1")])
        #expect(noTime.accounts == [["A1", "A2", "A3", "A4"]])
    }

    @Test func invalidSubjectValuesAreRejected() {
        let dir = try! TempDir("disclose-engine")
        let f = dir.file("a.jsonl", Self.accountsJSONL)
        let e = expectInputError { _ = try search(f, field: "ip", kind: .ipv4, [SubjectIdentifier("2001:db8::1")]) }
        #expect(e?.file == "<request>" && e?.field == "subject 1")
    }

    @Test func everyRecordIsCheckedDuringResolution() {
        let dir = try! TempDir("disclose-engine")
        let f = dir.file("a.jsonl", Self.accountsJSONL + "\n{\"account\":\"Z\",\"email\":\"x\",\"email\":\"y\"}\n")
        let e = expectInputError { _ = try search(f, field: "email", kind: .email, [SubjectIdentifier("a@b.org")]) }
        #expect(e?.line == 6)
        #expect(e?.message.contains("duplicate key") == true)
    }

    @Test func csvResolution() throws {
        let dir = try! TempDir("disclose-engine")
        let f = dir.file("a.csv", "account,email,ip,ts\nA1,\"Alice@Example.com\",10.0.0.1,2024-03-01T10:00:00Z\nA2,bob@example.com,10.0.0.1,2024-03-02T10:00:00Z\n")
        let r = try search(f, format: .csv, field: "email", kind: .email, [SubjectIdentifier("alice@example.com")])
        #expect(r.accounts == [["A1"]])
        let ip = try search(f, format: .csv, field: "ip", kind: .ipv4, time: "ts", tolerance: 3_600_000_000_000,
                            [SubjectIdentifier("10.0.0.1", time: at("2024-03-02T09:30:00Z"))])
        #expect(ip.accounts == [["A2"]])
    }
}
