/// Maps Disclose's refusal grounds — each failed policy check of a plan, a category the
/// instrument does not reach, no data, a reviewer's rejection — to the Form 3 families
/// of `HI1RefusalReason`. The built-in map below is the default; the policy's
/// `hi1_refusal_reasons` ({"check name": "family"}) overrides it ground by ground.
/// This is the one place where Disclose's own vocabulary meets HI-1's.
public enum HI1ReasonMap {
    /// The ground used when a task's categories are all beyond the instrument.
    public static let categoryNotGranted = "category not granted"
    /// The ground used when no account or record of a task's subjects is in scope.
    public static let noData = "no data"
    /// The ground used when a reviewer rejected the plan.
    public static let reviewerRejection = "reviewer rejection"

    /// The default family of every ground (the plan's check names and the three above).
    public static let defaults: [String: HI1RefusalReason] = [
        "authority known": .notCompetentAuthority,
        "instrument type known": .manifestError,
        "issuer competent": .notCompetentAuthority,
        "issued before receipt": .manifestError,
        "instrument in force": .manifestError,
        "window within limit": .manifestError,
        "emergency declared": .incompleteOrder,
        "call-back attestation": .incompleteOrder,
        "request within the issuer's competence": .notCompetentAuthority,
        "something to disclose": .notCompetentAuthority,
        "named fields exist": .manifestError,
        categoryNotGranted: .notCompetentAuthority,
        noData: .dataNotHeld,
        reviewerRejection: .other,
    ]

    /// The family of `ground` under `policy` (its override, else the default, else `other`).
    public static func reason(_ ground: String, policy: Policy?) -> HI1RefusalReason {
        policy?.hi1RefusalReasons[ground] ?? defaults[ground] ?? .other
    }

    /// The families of a plan's failed checks (plan document `checks`), in check order,
    /// without repeats: what the audit log and the report record for a refused plan.
    public static func reasons(failedChecks: [String], policy: Policy?) -> [HI1RefusalReason] {
        var out: [HI1RefusalReason] = []
        for c in failedChecks where !out.contains(reason(c, policy: policy)) { out.append(reason(c, policy: policy)) }
        return out
    }
}
