import Sodium

/// What a request says, independent of how its file spells it: an ETSI HI-1 message and
/// the JSON `disclose import` makes of it are the same request. The case nonce is bound
/// to this digest (`CaseNonce`), so re-planning the same request in either form reuses
/// the nonce, and another request under the same id is refused.
extension Request {
    /// Lowercase hex SHA-512 of the request's canonical form: every parsed member in a
    /// fixed order (times as RFC 3339 UTC, categories sorted), compact JSON.
    public var canonicalDigest: String {
        let form = JSONOutput.object([
            ("id", .string(id)), ("received", .string(received.description)), ("authority", .string(authority)),
            ("instrument", .object([
                ("type", .string(instrument.type)), ("reference", .string(instrument.reference)),
                ("issuer_role", .string(instrument.issuerRole)), ("issued", .string(instrument.issued.description)),
                ("expires", .optional(instrument.expires?.description)),
            ])),
            ("subjects", .array(subjects.map {
                .object([("type", .string($0.kind.rawValue)), ("value", .string($0.value)), ("time", .optional($0.time?.description))])
            })),
            ("window", .object([("from", .string(window.lowerBound.description)), ("to", .string(window.upperBound.description))])),
            ("categories", .array(categories.map(\.rawValue).sorted().map { .string($0) })),
            ("fields", fields.map { .array($0.map { .string($0) }) } ?? .null),
            ("third_parties_unredacted", .bool(thirdPartiesUnredacted)),
            ("emergency", emergency.map { .object([("statement", .string($0.statement)), ("callback_attestation", .optional($0.callbackAttestation))]) } ?? .null),
        ])
        return Hex.encode(SHA512.hash(Array(form.compact.utf8)))
    }
}
