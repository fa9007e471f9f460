import Primitives
/// What the user can do next, as a typed value rather than a command line: the library
/// names the step and its operands (a case id, a path); the front end (the `disclose`
/// CLI) renders it as its own command line. So the library never spells a command, and
/// another front end (a service, a UI) can offer the same step its own way.
///
/// Operands left nil stand for what the user supplies (rendered as a placeholder such as
/// `REQUEST` or `PLAN`).
public enum NextStep: Sendable, Equatable {
    /// Plan a request (`out`: where the plan goes; `practice`: a rehearsal plan).
    case plan(request: String? = nil, out: String? = nil, practice: Bool = false)
    /// A reviewer approves (or rejects) a plan with their key (`key`: how to name it).
    case approve(plan: String? = nil, key: String? = nil)
    /// Export an approved plan as a bundle (`again`: once more, with a logged reason).
    case export(plan: String? = nil, again: Bool = false)
    /// Seal a preservation of a request's data for the provider's escrow.
    case preserve(request: String? = nil)
    /// Record a request as received (opens a case).
    case receive(request: String? = nil)
    /// Close a case, with a reason.
    case close(caseID: String)
    /// Record that the user of a case was told.
    case notified(caseID: String)
    /// Record the follow-up instrument of an emergency case.
    case followUp(caseID: String)
    /// Show the open cases (`all`: every case, closed ones too).
    case status(all: Bool = false)
    /// Check the audit log's chain and signed heads.
    case verifyAuditLog
    /// Make an age recipient key pair (identity file at `out`).
    case makeRecipientKey(out: String? = nil)
    /// Make the provider's pseudonym secret at `out`.
    case makePseudonymSecret(out: String? = nil)
}
