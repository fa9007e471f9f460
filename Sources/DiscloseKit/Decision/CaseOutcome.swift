import Foundation
import Sodium

/// How one subject identifier resolved to accounts.
public struct SubjectResolution: Sendable, Equatable {
    /// The identifier from the request.
    public var subject: Request.Subject
    /// Decoded account ids it resolved to, sorted.
    public var accounts: [String]
    /// Datasets whose identifier fields matched.
    public var via: [String]
    /// Records whose identifier equals this subject's only under Unicode folding
    /// (`LookAlike`): not resolved, flagged for the reviewers.
    public var lookAlikeRecords = 0
    /// Accounts holding such records, other than the accounts the subject resolved to.
    public var lookAlikeAccounts = 0
}

/// The scoped result of one dataset.
public struct DatasetOutcome: Sendable {
    /// The field decisions it was scoped with.
    public var decision: DatasetDecision
    /// Counts.
    public var statistics: DatasetStatistics
    /// Hex BLAKE2b-512 (unkeyed, 64-byte output: what `b2sum` prints) of the scoped
    /// output, the plaintext that export encrypts. BLAKE2b rather than SHA-512 because
    /// this digest is on the critical path of every export and BLAKE2b is about twice as
    /// fast; it is also minisign's prehash, so the authority has the tool already.
    public var outputBLAKE2b512: String
    /// File name of the scoped output inside a bundle (`name.jsonl` / `name.csv`).
    public var outputName: String
    /// Input files, relative to the data root.
    public var inputFiles: [String]
}

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
