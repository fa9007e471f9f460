import Sodium

/// The provider's random per-case nonce. The pseudonymization key of a case derives from
/// the provider secret and this nonce (never from the request id alone), so another
/// authority's request that reuses an id cannot get the same pseudonyms. The nonce is not
/// secret: it is written into the plan and the audit log (`planned` and `preserved`
/// entries carry `case_nonce` and the `request_canonical_sha512` it belongs to: the
/// request's `canonicalDigest`, so an HI-1 message and its imported JSON are one request);
/// re-planning the same request reuses it, so plan and export agree.
public enum CaseNonce {
    /// A fresh nonce: 32 random bytes as lowercase hex.
    public static func generate() -> String { Hex.encode(Random.bytes(32)) }

    /// The nonce the audit log holds for `caseID` (its first), or nil.
    public static func recorded(log: AuditLog, caseID: String) throws -> String? {
        recorded(in: try log.entries(), caseID: caseID)
    }

    /// The nonce `entries` (the audit log, already read) hold for `caseID`, or nil.
    public static func recorded(in entries: [AuditEntry], caseID: String) -> String? {
        bindings(entries, caseID: caseID).first?.nonce
    }

    /// The nonce to plan `caseID` with: the one the audit log holds for this case, else a
    /// fresh one. The same request (`requestDigest`, its `canonicalDigest`) reuses it; so
    /// does the same authority's amendment of its request under the same id (an HI-1
    /// UPDATE continues its case). Refuses (exit 1) an id that the log holds for a
    /// different request from another `authority`: its pseudonyms would be keyed alike.
    public static func forPlanning(log: AuditLog, caseID: String, requestDigest: String, authority: String) throws -> String {
        let known = bindings(try log.entries(), caseID: caseID)
        if let other = known.first(where: { $0.requestDigest != requestDigest && $0.authority != authority }) {
            throw Refusal("request id \(caseID) is already in the audit log for a different request from another authority (\(other.authority ?? "unknown"), sha512 \(other.requestDigest.prefix(16))…, entry \(other.sequence)); one id names one case",
                          hint: "record this request under its own id (e.g. \(caseID)-2): pseudonyms are keyed per case, and this id is another authority's case")
        }
        return known.first?.nonce ?? generate()
    }

    /// Entries of `caseID` that bind a nonce to a request digest, in log order.
    private static func bindings(_ entries: [AuditEntry], caseID: String) -> [(nonce: String, requestDigest: String, authority: String?, sequence: Int)] {
        entries.compactMap { e in
            guard e.caseID == caseID, let n = e.string(.caseNonce), let d = e.string(.requestCanonicalSHA512) else { return nil }
            return (n, d, e.string(.authority), e.sequence)
        }
    }

    /// The audit fact that names the request a nonce belongs to.
    public static let factName = "request_canonical_sha512"

    /// Checks the form of a nonce read from a plan: 64 lowercase hex digits.
    public static func isWellFormed(_ nonce: String) -> Bool {
        nonce.utf8.count == 64 && nonce.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
