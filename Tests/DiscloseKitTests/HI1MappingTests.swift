import Foundation
import Testing
@testable import DiscloseKit

/// HI-1 messages → requests: our example messages translate to the expected request,
/// structure errors name the element path, folding never widens a task's scope.
@Suite("HI-1 request mapping")
struct HI1MappingTests {
    static let root: String = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/", !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { dir.deleteLastPathComponent() }
        return dir.path
    }()
    static let etsiExamples = root + "/../shared/etsi/ts_103120_v1.12.1/examples"

    func policy() throws -> Policy { try Policy.load(path: Self.root + "/Examples/policy.json") }
    func example(_ name: String) throws -> String { try String(contentsOfFile: Self.root + "/Examples/hi1/" + name, encoding: .utf8) }

    func translate(_ xml: String) throws -> Request {
        try RequestLoader.parse(Array(xml.utf8), file: "m.xml", policy: policy())
    }

    func refusal(_ xml: String) -> InputError? {
        do { _ = try translate(xml); return nil } catch let e as InputError { return e } catch { return nil }
    }

    @Test("the Paris EPOC message (email, phone, IPv4 with observed time) becomes the expected request")
    func parisExample() throws {
        let r = try translate(try example("fr-tj-paris-epoc.xml"))
        #expect(r.id == "hi1-5e0c1f42-8d3a-4c6e-9b1f-2a7d6e4c9011")
        #expect(r.authority == "fr-tj-paris")
        #expect(r.instrument.type == "eu_production_order" && r.instrument.issuerRole == "investigating_judge")
        #expect(r.instrument.reference == "EPOC 2026/118")
        #expect(r.instrument.issued.description == "2026-11-14T20:50:00Z" && r.instrument.expires?.description == "2029-11-14T00:00:00Z")
        #expect(r.received.description == "2026-11-14T21:05:00Z")
        #expect(r.subjects == [
            Request.Subject(kind: .email, value: "julien.marchetti@mail.example", time: nil),
            Request.Subject(kind: .phone, value: "+33639984217", time: nil),
            Request.Subject(kind: .ipv4, value: "203.0.113.57", time: TimeParsing.parseDate("2026-11-13T21:17:00+01:00")),
        ])
        #expect(r.window == TimeParsing.parseDate("2026-10-01T00:00:00+02:00")!...TimeParsing.parseDate("2026-11-14T21:40:00+01:00")!)
        #expect(r.categories == [.traffic, .identification])
        #expect(r.emergency == nil)
        // The import's JSON reads back as the same request.
        let again = try Request.parse(DocumentJSON.parse(Array(RequestDocument.json(r).pretty.utf8), file: "r.json"), file: "r.json")
        #expect(again.subjects == r.subjects && again.window == r.window && again.categories == r.categories && again.id == r.id)
    }

    @Test("each task keeps its own scope; the warrant document is kept by digest")
    func tasksAndDocument() throws {
        let m = try HI1Reader.read(Array(try example("fr-tj-paris-epoc.xml").utf8), file: "m.xml")
        let scopes = try HI1Mapping.taskScopes(m, file: "m.xml")
        #expect(scopes.map(\.task.label) == ["FR-TJP-2026118-1", "FR-TJP-2026118-2"])
        #expect(scopes.map(\.categories) == [[.traffic], [.identification]])
        #expect(m.documents.count == 1 && m.documents[0].sha512?.count == 128 && m.documents[0].type == "Warrant")
    }

    @Test("the subpoena message folds two tasks on one address into subscriber + content")
    func subpoenaExample() throws {
        let r = try translate(try example("us-dany-subpoena.xml"))
        #expect(r.authority == "us-ny-da" && r.instrument.type == "us_subpoena" && r.instrument.issuerRole == "prosecutor")
        #expect(r.categories == [.subscriber, .content])
    }

    @Test("tasks whose union would widen a task's scope are refused")
    func foldRefused() throws {
        let xml = try example("us-dany-subpoena.xml")
            .replacingOccurrences(of: "<task:StartTime>2026-09-01T00:00:00Z</task:StartTime>\n                <task:EndTime>2026-11-30T00:00:00Z</task:EndTime>\n                <task:RequestValues>\n                  <task:RequestValue>\n                    <task:FormatType>\n                      <task:FormatOwner>ETSI</task:FormatOwner>\n                      <task:FormatName>EmailAddress</task:FormatName>\n                    </task:FormatType>\n                    <task:Value>dholloway@mail.example</task:Value>\n                  </task:RequestValue>\n                </task:RequestValues>\n              </task:RequestDetails>\n            </HI1Object>\n          </CREATE>\n        </ActionRequest>\n        <ActionRequest>\n          <ActionIdentifier>2</ActionIdentifier>",
                                  with: "<task:StartTime>2026-11-01T00:00:00Z</task:StartTime>\n                <task:EndTime>2026-11-30T00:00:00Z</task:EndTime>\n                <task:RequestValues>\n                  <task:RequestValue>\n                    <task:FormatType>\n                      <task:FormatOwner>ETSI</task:FormatOwner>\n                      <task:FormatName>EmailAddress</task:FormatName>\n                    </task:FormatType>\n                    <task:Value>dholloway@mail.example</task:Value>\n                  </task:RequestValue>\n                </task:RequestValues>\n              </task:RequestDetails>\n            </HI1Object>\n          </CREATE>\n        </ActionRequest>\n        <ActionRequest>\n          <ActionIdentifier>2</ActionIdentifier>")
        let e = refusal(xml)
        #expect(e?.message.contains("would widen a task's scope") == true, "\(e?.description ?? "accepted")")
    }

    @Test("unknown sender and legal type translate to ids the policy check refuses")
    func unknownSender() throws {
        let r = try translate(try example("us-dany-subpoena.xml").replacingOccurrences(of: "US-NY-DANY", with: "US-ELSEWHERE")
            .replacingOccurrences(of: "<common:Value>Subpoena</common:Value>", with: "<common:Value>Letter</common:Value>"))
        #expect(r.authority == "hi1:US/US-ELSEWHERE")
        #expect(r.instrument.type == "hi1:US/Letter")
        let d = Decider.decide(request: r, policy: try policy(), dataMap: DataMap(datasets: []), now: r.received)
        #expect(d.checks.first { $0.name == "authority known" }?.outcome == .fail)
        #expect(d.checks.first { $0.name == "instrument type known" }?.outcome == .fail)
    }

    @Test("structure errors name the element path", arguments: [
        ("<task:Reference>FR-TJP-2026118-1</task:Reference>", "<task:Referencex>FR-TJP-2026118-1</task:Referencex>", "unexpected element <Referencex>"),
        ("<task:CSPID>", "<task:Reference>FR-TJP-2026118-9</task:Reference><task:CSPID>", "<Reference> is out of order"),
        ("xmlns=\"http://uri.etsi.org/03120/common/2019/10/Core\"", "xmlns=\"urn:not-etsi\"", "not an ETSI TS 103 120 HI1Message"),
        ("<ReceiverIdentifier>\n      <CountryCode>FR</CountryCode>\n      <UniqueIdentifier>EXAMPLE-MAIL-SAS</UniqueIdentifier>", "<ReceiverIdentifier>\n      <CountryCode>DE</CountryCode>\n      <UniqueIdentifier>OTHER</UniqueIdentifier>", "addressed to DE/OTHER"),
        ("<ActionIdentifier>1</ActionIdentifier>", "<ActionIdentifier>1</ActionIdentifier><GET><Identifier>5e0c1f42-8d3a-4c6e-9b1f-2a7d6e4c9011</Identifier></GET>", "holds exactly one of GET, CREATE"),
        ("<task:Value>33639984217</task:Value>", "<task:Value>+33 6 39</task:Value>", "1 to 15 digits"),
    ])
    func structure(_ find: String, _ replace: String, _ message: String) throws {
        let xml = try example("fr-tj-paris-epoc.xml")
        #expect(xml.contains(find))
        let e = refusal(xml.replacingOccurrences(of: find, with: replace))
        #expect(e?.description.contains(message) == true, "\(e?.description ?? "accepted")")
    }

    @Test("a bad value is reported with its element path and line")
    func path() throws {
        let xml = try example("fr-tj-paris-epoc.xml").replacingOccurrences(of: "<task:EndTime>2026-11-14T21:40:00+01:00</task:EndTime>", with: "<task:EndTime>soon</task:EndTime>")
        let e = refusal(xml)
        #expect(e?.field == "/HI1Message/Payload/RequestPayload/ActionRequests/ActionRequest/CREATE/HI1Object/RequestDetails/EndTime")
        #expect(e?.line != nil && e?.message.contains("QualifiedDateTime") == true)
    }

    @Test("ETSI's own examples are read; tasks without a RequestDetails Type are refused by the mapping",
          .enabled(if: FileManager.default.fileExists(atPath: HI1MappingTests.etsiExamples)))
    func readsETSIExamples() throws {
        for name in ["request4.xml", "request6.xml"] {
            let m = try HI1Reader.read(FileBytes.read(path: Self.etsiExamples + "/" + name, limit: 1 << 20), file: name)
            #expect(m.tasks.count == 1 && m.sender == HI1Request.Endpoint(countryCode: "XX", uniqueIdentifier: "ACTOR01"))
            #expect(throws: InputError.self) { try HI1Mapping.taskScopes(m, file: name) }
        }
        let six = try HI1Reader.read(FileBytes.read(path: Self.etsiExamples + "/request6.xml", limit: 1 << 20), file: "request6.xml")
        #expect(six.tasks[0].observedTimes.count == 3 && six.tasks[0].values[0].formatName == "IPv4Address")
    }
}
