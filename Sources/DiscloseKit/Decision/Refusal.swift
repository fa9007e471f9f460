import Primitives

/// A verdict that stops a command: a policy refusal, missing approvals, a changed plan,
/// a failed verification. Distinct from bad input: the command line exits with 1.
public struct Refusal: Error, Sendable, CustomStringConvertible {
    /// What was refused and why, in one line.
    public var message: String
    /// The individual reasons, one per line.
    public var details: [String]
    /// What to do about it, in the domain's words.
    public var hint: String?
    /// The step that moves on, when it is a command of the tool (rendered by the front end
    /// after `hint`).
    public var next: NextStep?

    /// Builds a refusal.
    public init(_ message: String, details: [String] = [], hint: String? = nil, next: NextStep? = nil) {
        self.message = message; self.details = details; self.hint = hint; self.next = next
    }

    public var description: String { ([message] + details.map { "  - " + $0 }).joined(separator: "\n") }
}
