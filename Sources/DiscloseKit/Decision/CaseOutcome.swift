import Foundation
import Sodium

/// The whole decided and scoped case: what `plan` shows and `export` seals.
public struct CaseOutcome: Sendable {
    /// The inputs.
    public var files: CaseFiles
    /// The decisions.
    public var decision: Decision
    /// Subject resolution.
    public var subjects: [SubjectResolution]
    /// Per dataset, in data map order (empty when refused).
    public var datasets: [DatasetOutcome]
    /// The case nonce the pseudonyms were keyed with (written into the plan).
    public var caseNonce: String

    /// The overall outcome.
    public enum Verdict: String, Sendable {
        /// Policy checks failed: nothing is disclosed.
        case refused
        /// The request is valid, but no record of the subjects falls in scope.
        case noData = "no_data"
        /// Records will be disclosed.
        case disclose
    }

    /// The overall outcome, derived from checks and counts.
    public var verdict: Verdict {
        if decision.refused { return .refused }
        return datasets.contains { $0.statistics.recordsDisclosed > 0 } ? .disclose : .noData
    }
}
