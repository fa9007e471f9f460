/// The outcome of one policy check, as shown in `plan` and bound into the plan document.
public struct PolicyCheck: Sendable, Equatable {
    /// Whether the check passed.
    public enum Outcome: String, Sendable {
        /// The check holds.
        case pass
        /// The check fails and the request is refused.
        case fail
        /// Worth a reviewer's attention; does not block.
        case warn
    }
    /// Short name (`authority known`, `instrument in force`, …).
    public var name: String
    /// Outcome.
    public var outcome: Outcome
    /// What was checked, with the rule or legal basis.
    public var detail: String
}
