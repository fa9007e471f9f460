@testable import DiscloseKit

/// Small in-memory policy, data map and request documents for decision tests.
enum DomainFixtures {
    static let policyJSON = """
    {
      "instruments": {
        "us_subpoena": {"label": "US subpoena", "jurisdiction": "US", "categories": ["subscriber", "identification"], "basis": "18 U.S.C. § 2703(c)(2)"},
        "us_2703d_order": {"label": "US 2703(d) order", "jurisdiction": "US", "categories": ["subscriber", "identification", "traffic"], "basis": "18 U.S.C. § 2703(d)"},
        "us_warrant": {"label": "US search warrant", "jurisdiction": "US", "categories": ["subscriber", "identification", "traffic", "content"], "basis": "18 U.S.C. § 2703(a)", "third_parties_unredacted": true},
        "us_emergency": {"label": "US emergency request", "jurisdiction": "US", "categories": ["subscriber", "identification", "traffic"], "basis": "18 U.S.C. § 2702(b)(8)", "emergency": true},
        "eu_production_order": {"label": "European Production Order", "jurisdiction": "EU", "basis": "Regulation (EU) 2023/1543",
          "issuer_rules": [
            {"issuer_roles": ["prosecutor"], "categories": ["subscriber", "identification"], "note": "Art. 4(1): prosecutors may order subscriber and identification data only"},
            {"issuer_roles": ["judge", "investigating_judge", "court"], "categories": ["subscriber", "identification", "traffic", "content"]}
          ], "refuse_whole_request_on_excess": true}
      },
      "approvals": {"count": 2, "roles": ["legal", "privacy"]},
      "approvers": [],
      "authorities": [
        {"id": "fr-tj-paris", "name": "Tribunal judiciaire de Paris", "country": "FR", "recipients": ["age1qqqq"], "time_zone": "Europe/Paris"},
        {"id": "us-fbi-nyc", "name": "FBI New York", "country": "US", "recipients": ["age1qqqq"], "time_zone": "America/New_York"}
      ],
      "max_window_days": 366,
      "third_party_redaction": "pseudonymize",
      "emergency": {"approvals": {"count": 1, "roles": ["legal"]}, "requires_attestation": true, "follow_up_hours": 48}
    }
    """

    static let dataMapJSON = """
    {"datasets": [
      {"name": "accounts", "path": "accounts.jsonl", "format": "jsonl", "account_field": "id",
       "identifiers": [{"kind": "email", "field": "email"}],
       "fields": {"id": {"category": "subscriber"}, "email": {"category": "subscriber"}, "pw": {"category": "never"}}},
      {"name": "messages", "path": "messages.jsonl", "format": "jsonl", "account_field": "id", "time_field": "ts", "time_format": "epoch_ms",
       "fields": {"id": {"category": "identification"}, "ts": {"category": "traffic"}, "to[]": {"category": "traffic", "third_party": true},
                  "ip": {"category": "identification", "third_party": true, "redaction": "ip_prefix"}, "body": {"category": "content"}}}
    ]}
    """

    static func request(type: String = "us_subpoena", issuer: String = "judge", categories: [String] = ["subscriber"],
                        authority: String = "us-fbi-nyc", expires: String = "2030-01-01", extra: String = "") -> String {
        """
        {"id": "R-1", "received": "2026-11-14T21:40:00+01:00", "authority": "\(authority)",
         "instrument": {"type": "\(type)", "reference": "X-1", "issuer_role": "\(issuer)", "issued": "2026-11-14", "expires": "\(expires)"},
         "subjects": [{"type": "email", "value": "a@example.com"}],
         "window": {"from": "2026-10-01", "to": "2026-11-14T23:59:59Z"},
         "categories": [\(categories.map { "\"\($0)\"" }.joined(separator: ", "))]\(extra)}
        """
    }

    static func policy() throws -> Policy { try Policy.parse(DocumentJSON.parse(Array(policyJSON.utf8), file: "policy.json"), file: "policy.json") }
    static func dataMap() throws -> DataMap { try DataMap.parse(DocumentJSON.parse(Array(dataMapJSON.utf8), file: "map.json"), file: "map.json") }
    static func parseRequest(_ text: String) throws -> Request {
        try Request.parse(DocumentJSON.parse(Array(text.utf8), file: "request.json"), file: "request.json", policy: policy())
    }

    /// 2026-11-18T08:53:20Z.
    static let now = Instant(nanoseconds: 1_795_000_000 * 1_000_000_000)

    static func decide(_ requestText: String) throws -> Decision {
        Decider.decide(request: try parseRequest(requestText), policy: try policy(), dataMap: try dataMap(), now: now)
    }
}
