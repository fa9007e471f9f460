import Testing
@testable import DiscloseKit

/// The HI1 module throws its own `HI1Error`; DiscloseKit turns it into `InputError` at the
/// boundary, so the CLI keeps reporting a bad HI-1 message as an input error (exit 2).
@Suite("HI-1 module boundary")
struct HI1BoundaryTests {
    @Test("an HI1Error becomes the InputError it describes, field for field")
    func mapping() {
        let e = HI1Error(file: "m.xml", line: 3, column: 7, field: "/HI1Message/Header", message: "missing", hint: "add it")
        let i = InputError(e)
        #expect(i == InputError(file: "m.xml", line: 3, column: 7, field: "/HI1Message/Header", message: "missing", hint: "add it"))
        #expect(i.description == e.description)
    }

    @Test("a malformed XML request read through RequestLoader throws InputError, not HI1Error")
    func loader() throws {
        let policy = try Policy.load(path: HI1MappingTests.root + "/Examples/policy.json")
        do {
            _ = try RequestLoader.parse(Array("<?xml version=\"1.0\"?>\n<HI1Message>".utf8), file: "m.xml", policy: policy)
            Issue.record("accepted")
        } catch let e as InputError {
            #expect(e.file == "m.xml" && e.line != nil)
        } catch {
            Issue.record("not an InputError: \(error)")
        }
    }

    @Test("other errors pass through the boundary unchanged")
    func passThrough() {
        struct Other: Error {}
        #expect(throws: Other.self) { try InputError.fromHI1 { throw Other() } }
    }
}
