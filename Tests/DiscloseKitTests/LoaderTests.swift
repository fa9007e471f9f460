import Testing
@testable import DiscloseKit

@Suite("Strict loading of requests, data maps and policies")
struct LoaderTests {
    struct Bad: Sendable, CustomStringConvertible {
        var name: String, text: String, field: String?, message: String
        var description: String { name }
    }

    static let badRequests: [Bad] = [
        .init(name: "unknown key", text: DomainFixtures.request(extra: #", "categoriez": []"#), field: "categoriez", message: "unknown key"),
        .init(name: "wrong type", text: DomainFixtures.request().replacingOccurrences(of: "\"id\": \"R-1\"", with: "\"id\": 7"), field: "id", message: "expected a string"),
        .init(name: "inverted window", text: DomainFixtures.request().replacingOccurrences(of: "\"from\": \"2026-10-01\"", with: "\"from\": \"2026-12-01\""), field: "window.to", message: "inverted"),
        .init(name: "unknown category", text: DomainFixtures.request(categories: ["secrets"]), field: "categories[0]", message: "unknown value"),
        .init(name: "never requested", text: DomainFixtures.request(categories: ["never"]), field: "categories[0]", message: "'never'"),
        .init(name: "bad time", text: DomainFixtures.request().replacingOccurrences(of: "2026-11-14T21:40:00+01:00", with: "yesterday"), field: "received", message: "RFC 3339"),
        .init(name: "ip without time", text: DomainFixtures.request().replacingOccurrences(of: #"{"type": "email", "value": "a@example.com"}"#, with: #"{"type": "ipv4", "value": "192.0.2.1"}"#), field: "subjects[0].time", message: "observed"),
        .init(name: "missing key", text: DomainFixtures.request().replacingOccurrences(of: "\"authority\": \"us-fbi-nyc\",", with: ""), field: "authority", message: "required key"),
        .init(name: "duplicate key", text: DomainFixtures.request(extra: #", "id": "R-2""#), field: nil, message: "duplicate key 'id'"),
    ]

    @Test("bad requests name the key and say what is wrong", arguments: badRequests)
    func badRequest(_ b: Bad) {
        do {
            _ = try DomainFixtures.parseRequest(b.text)
            Issue.record("accepted a bad request: \(b.name)")
        } catch let e as InputError {
            #expect(e.file == "request.json")
            #expect(e.line != nil)
            #expect(e.field == b.field)
            #expect(e.message.contains(b.message), "message was: \(e.message)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("syntax errors report line and column")
    func syntax() {
        let text = "{\n  \"id\": \"R-1\",\n  \"x\": tru\n}"
        #expect(throws: InputError.self) { try DomainFixtures.parseRequest(text) }
        do { _ = try DocumentJSON.parse(Array(text.utf8), file: "r.json") } catch let e as InputError {
            #expect(e.line == 3)
            #expect(e.column == 8)
        } catch { Issue.record("\(error)") }
    }

    @Test("JSON escapes in keys decode: \\u0069d is id")
    func escapedKeys() throws {
        let text = DomainFixtures.request().replacingOccurrences(of: "\"id\": \"R-1\"", with: "\"\\u0069d\": \"R-1\"")
        #expect(try DomainFixtures.parseRequest(text).id == "R-1")
    }

    @Test("the fixtures load")
    func fixtures() throws {
        let p = try DomainFixtures.policy()
        #expect(p.instruments.count == 5)
        let m = try DomainFixtures.dataMap()
        #expect(m.datasets.map(\.name) == ["accounts", "messages"])
    }

    @Test("data map: account field must be mapped; CSV paths are flat; never cannot be granted")
    func dataMapRules() {
        let unmappedAccount = #"{"datasets": [{"name": "a", "path": "a.jsonl", "format": "jsonl", "account_field": "id", "fields": {"x": {"category": "subscriber"}}}]}"#
        #expect(throws: InputError.self) { try DataMap.parse(DocumentJSON.parse(Array(unmappedAccount.utf8), file: "m"), file: "m") }
        let nestedCSV = #"{"datasets": [{"name": "a", "path": "a.csv", "format": "csv", "account_field": "id", "fields": {"id": {"category": "subscriber"}, "a.b": {"category": "subscriber"}}}]}"#
        #expect(throws: InputError.self) { try DataMap.parse(DocumentJSON.parse(Array(nestedCSV.utf8), file: "m"), file: "m") }
        let neverGranted = DomainFixtures.policyJSON.replacingOccurrences(of: #""categories": ["subscriber", "identification"], "basis": "18 U.S.C. § 2703(c)(2)""#, with: #""categories": ["never"], "basis": "x""#)
        #expect(throws: InputError.self) { try Policy.parse(DocumentJSON.parse(Array(neverGranted.utf8), file: "p"), file: "p") }
    }
}
