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
