import Sodium

/// The parts every HI-1 message Disclose writes shares: the `HI1Message` root with its
/// namespace declarations, the header, and the small building blocks (endpoints,
/// dictionary entries, derived identifiers, times). Version-specific names come from
/// `HI1Profile` and `HI1Namespace`.
enum HI1Envelope {
    /// Which payload the message carries.
    enum Payload { case request, response }

    /// A whole message from `from` to `to`; `body` writes the inside of `ActionRequests`
    /// (or `ActionResponses`).
    static func message(from: HI1Request.Endpoint, to: HI1Request.Endpoint, transaction: String, now: Instant,
                        payload: Payload = .request, _ body: (inout XMLWriter) -> Void) -> String {
        var w = XMLWriter()
        let ns: [(String, String)] = [("xmlns", HI1Namespace.core), ("xmlns:xsi", HI1Namespace.xsi), ("xmlns:common", HI1Namespace.common),
                                      ("xmlns:task", HI1Namespace.task), ("xmlns:delivery", HI1Namespace.delivery),
                                      ("xmlns:notification", HI1Namespace.notification)]
        w.element("HI1Message", ns) { w in
            w.element("Header") { w in
                endpoint(&w, "SenderIdentifier", from)
                endpoint(&w, "ReceiverIdentifier", to)
                w.leaf("TransactionIdentifier", transaction)
                w.leaf("Timestamp", microsecondTime(now))
                w.element("Version") { w in
                    w.leaf("ETSIVersion", HI1Profile.etsiVersion)
                    w.leaf("NationalProfileOwner", HI1Profile.nationalProfileOwner)
                    w.leaf("NationalProfileVersion", HI1Profile.nationalProfileVersion)
                }
            }
            w.element("Payload") { w in
                switch payload {
                case .request: w.element("RequestPayload") { w in w.element("ActionRequests", [], body) }
                case .response: w.element("ResponsePayload") { w in w.element("ActionResponses", [], body) }
                }
            }
        }
        return w.text
    }

    static func endpoint(_ w: inout XMLWriter, _ name: String, _ e: HI1Request.Endpoint) {
        w.element(name) { w in w.leaf("CountryCode", e.countryCode); w.leaf("UniqueIdentifier", e.uniqueIdentifier) }
    }

    /// A `common:DictionaryEntry`-typed element.
    static func dictionary(_ w: inout XMLWriter, _ name: String, owner: String, dictionary: String, value: String) {
        w.element(name) { w in w.leaf("common:Owner", owner); w.leaf("common:Name", dictionary); w.leaf("common:Value", value) }
    }

    /// `AssociatedObjects` listing `ids`.
    static func associated(_ w: inout XMLWriter, _ ids: [String]) {
        w.element("AssociatedObjects") { w in for id in ids { w.leaf("AssociatedObject", id) } }
    }

    /// Text cut to what an etsi:LongString holds.
    static func longString(_ s: String) -> String { String(s.prefix(HI1Profile.longStringMax)) }

    /// A UUID derived from `seed` (SHA-512, RFC 9562 version 8 layout), so the same
    /// message gets the same identifiers when written again.
    static func derivedUUID(_ seed: String) -> String {
        var b = Array(SHA512.hash(Array(seed.utf8)).prefix(16))
        b[6] = (b[6] & 0x0F) | 0x80
        b[8] = (b[8] & 0x3F) | 0x80
        let c = Array(Hex.encode(b))
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(c[$0]) }.joined(separator: "-")
    }

    /// `2026-11-14T21:40:00.000000Z` (ETSI QualifiedMicrosecondDateTime).
    static func microsecondTime(_ t: Instant) -> String {
        let micros = ((t.nanoseconds % 1_000_000_000) + 1_000_000_000) % 1_000_000_000 / 1000
        let whole = Instant(nanoseconds: t.nanoseconds - (t.nanoseconds % 1_000_000_000 + 1_000_000_000) % 1_000_000_000).description
        let digits = String(micros)
        return whole.dropLast() + "." + String(repeating: "0", count: 6 - digits.count) + digits + "Z"
    }

    /// `2026-11-14T21:40:00Z` (ETSI QualifiedDateTime: whole seconds).
    static func secondTime(_ t: Instant) -> String {
        Instant(nanoseconds: t.nanoseconds - (t.nanoseconds % 1_000_000_000 + 1_000_000_000) % 1_000_000_000).description
    }
}
