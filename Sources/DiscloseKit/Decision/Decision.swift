/// Everything decided before any data is read: policy checks, categories, per-field
/// actions and the approvals needed. `plan` and `export` both start from this; it is the
/// one place where disclosure is decided.
public struct Decision: Sendable {
    /// Policy checks in the order they were made.
    public var checks: [PolicyCheck]
    /// Category decisions for all four requestable categories.
    public var categories: [CategoryDecision]
    /// Per-dataset field decisions.
    public var datasets: [DatasetDecision]
    /// Approvals this case needs (the emergency rule for emergency requests).
    public var approvals: Policy.ApprovalRule
    /// The instrument's legal basis, cited in the redaction log.
    public var legalBasis: String
    /// The policy's instrument, when known.
    public var instrument: Policy.Instrument?
    /// The requesting authority, when known.
    public var authority: Policy.Authority?

    /// True when any check failed: nothing is disclosed.
    public var refused: Bool { checks.contains { $0.outcome == .fail } }
}
