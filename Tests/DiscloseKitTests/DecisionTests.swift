import Testing
@testable import DiscloseKit

@Suite("Decider: policy checks, category grants and field actions")
struct DecisionTests {
    struct CategoryCase: Sendable, CustomStringConvertible {
        var type: String, issuer: String, asked: [String], granted: [String], refused: Bool
        var description: String { "\(type) by \(issuer) asking \(asked)" }
    }

    static let categoryCases: [CategoryCase] = [
        .init(type: "us_subpoena", issuer: "agent", asked: ["subscriber", "identification", "content"], granted: ["subscriber", "identification"], refused: false),
        .init(type: "us_subpoena", issuer: "agent", asked: ["content"], granted: [], refused: true),
        .init(type: "us_2703d_order", issuer: "judge", asked: ["traffic", "content"], granted: ["traffic"], refused: false),
        .init(type: "us_warrant", issuer: "judge", asked: ["subscriber", "identification", "traffic", "content"], granted: ["subscriber", "identification", "traffic", "content"], refused: false),
        .init(type: "eu_production_order", issuer: "prosecutor", asked: ["subscriber", "identification"], granted: ["subscriber", "identification"], refused: false),
        .init(type: "eu_production_order", issuer: "prosecutor", asked: ["subscriber", "content"], granted: ["subscriber"], refused: true),
        .init(type: "eu_production_order", issuer: "prosecutor", asked: ["traffic"], granted: [], refused: true),
        .init(type: "eu_production_order", issuer: "investigating_judge", asked: ["traffic", "identification"], granted: ["traffic", "identification"], refused: false),
        .init(type: "eu_production_order", issuer: "court", asked: ["content"], granted: ["content"], refused: false),
        .init(type: "eu_production_order", issuer: "police", asked: ["subscriber"], granted: [], refused: true),
    ]

    @Test("US SCA tiers and EU e-Evidence issuer rules", arguments: categoryCases)
    func categories(_ c: CategoryCase) throws {
        let d = try DomainFixtures.decide(DomainFixtures.request(type: c.type, issuer: c.issuer, categories: c.asked))
        #expect(Set(d.categories.filter(\.granted).map(\.category.rawValue)) == Set(c.granted))
        #expect(d.refused == c.refused)
        for cat in d.categories where cat.requested && !cat.granted {
            #expect(cat.reason.hasPrefix("refused:"))
            #expect(cat.reason.contains("§") || cat.reason.contains("Regulation") || cat.reason.contains("unknown"))
        }
    }

    struct CheckCase: Sendable, CustomStringConvertible {
        var name: String, request: String, failingCheck: String
        var description: String { name }
    }

    static let checkCases: [CheckCase] = [
        // Times with offsets: an unknown authority has no time zone to read plain dates in.
        .init(name: "unknown authority", request: DomainFixtures.request(authority: "xx-unknown", expires: "2030-01-01T00:00:00Z")
                .replacingOccurrences(of: "\"2026-11-14\"", with: "\"2026-11-14T00:00:00Z\"")
                .replacingOccurrences(of: "\"2026-10-01\"", with: "\"2026-10-01T00:00:00Z\""), failingCheck: "authority known"),
        .init(name: "unknown instrument", request: DomainFixtures.request(type: "letter"), failingCheck: "instrument type known"),
        .init(name: "expired instrument", request: DomainFixtures.request(expires: "2026-11-16"), failingCheck: "instrument in force"),
        .init(name: "emergency without attestation",
              request: DomainFixtures.request(type: "us_emergency", extra: #", "emergency": {"statement": "threat"}"#), failingCheck: "call-back attestation"),
        .init(name: "emergency statement on a normal instrument",
              request: DomainFixtures.request(extra: #", "emergency": {"statement": "x", "callback_attestation": "y"}"#), failingCheck: "emergency declared"),
        .init(name: "field narrowing names an unknown field",
              request: DomainFixtures.request(extra: #", "fields": ["accounts:nope"]"#), failingCheck: "named fields exist"),
    ]

    @Test("policy refusals name the failing check", arguments: checkCases)
    func refusals(_ c: CheckCase) throws {
        let d = try DomainFixtures.decide(c.request)
        #expect(d.refused)
        #expect(d.checks.contains { $0.name == c.failingCheck && $0.outcome == .fail })
        // A refused case withholds every field.
        #expect(d.datasets.allSatisfy { $0.fields.allSatisfy { $0.action == .withhold } })
    }

    @Test("emergency with attestation passes and needs the emergency approval rule")
    func emergency() throws {
        let d = try DomainFixtures.decide(DomainFixtures.request(type: "us_emergency", categories: ["subscriber"],
            extra: #", "emergency": {"statement": "threat to life", "callback_attestation": "called back 01:02"}"#))
        #expect(!d.refused)
        #expect(d.approvals == Policy.ApprovalRule(count: 1, roles: ["legal"]))
    }

    @Test("window longer than the policy limit is refused")
    func window() throws {
        let text = DomainFixtures.request().replacingOccurrences(of: "\"from\": \"2026-10-01\"", with: "\"from\": \"2024-10-01\"")
        let d = try DomainFixtures.decide(text)
        #expect(d.checks.contains { $0.name == "window within limit" && $0.outcome == .fail })
    }

    func action(_ d: Decision, _ dataset: String, _ path: String) -> FieldAction? {
        d.datasets.first { $0.dataset.name == dataset }?.fields.first { $0.path.description == path }?.action
    }

    @Test("field actions: never, not requested, third parties, redaction override, narrowing")
    func fieldActions() throws {
        let warrant = try DomainFixtures.decide(DomainFixtures.request(type: "us_warrant", categories: ["identification", "traffic"]))
        #expect(action(warrant, "accounts", "pw") == .withhold)          // never
        #expect(action(warrant, "accounts", "email") == .withhold)       // subscriber not requested
        #expect(action(warrant, "messages", "body") == .withhold)        // content not requested
        #expect(action(warrant, "messages", "ts") == .disclose)
        #expect(action(warrant, "messages", "to[]") == .pseudonymize)    // policy default for third parties
        #expect(action(warrant, "messages", "ip") == .ipPrefix)          // data map override

        let unredacted = try DomainFixtures.decide(DomainFixtures.request(type: "us_warrant", categories: ["traffic"], extra: #", "third_parties_unredacted": true"#))
        #expect(action(unredacted, "messages", "to[]") == .disclose)
        let notAllowed = try DomainFixtures.decide(DomainFixtures.request(type: "us_2703d_order", categories: ["traffic"], extra: #", "third_parties_unredacted": true"#))
        #expect(action(notAllowed, "messages", "to[]") == .pseudonymize)

        let narrowed = try DomainFixtures.decide(DomainFixtures.request(type: "us_warrant", categories: ["traffic"], extra: #", "fields": ["messages:ts"]"#))
        #expect(action(narrowed, "messages", "ts") == .disclose)
        #expect(action(narrowed, "messages", "to[]") == .withhold)
    }

    @Test("the accounts dataset has no window; time-stamped datasets do")
    func windows() throws {
        let d = try DomainFixtures.decide(DomainFixtures.request())
        #expect(d.datasets.first { $0.dataset.name == "accounts" }?.windowApplies == false)
        #expect(d.datasets.first { $0.dataset.name == "messages" }?.windowApplies == true)
    }
}
