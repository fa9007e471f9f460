import Foundation

/// One parsed audit log entry: its envelope (sequence, time, event, case) typed, its facts
/// read by `AuditFact`, the one list of the members audit entries carry — so a fact
/// written under one name and read under another is a compile error, not a silent nil.
public struct AuditEntry: Sendable {
    /// Sequence number.
    public var sequence: Int
    /// When the entry was written.
    public var time: Instant
    /// Event name (see `CaseEvent`; unknown names are kept, not rejected).
    public var event: String
    /// The request id.
    public var caseID: String
    /// The whole entry, for its facts.
    public var node: DocumentJSON.Node

    /// A string fact.
    public func string(_ fact: AuditFact) -> String? { node[fact]?.string }
    /// An integer fact.
    public func int(_ fact: AuditFact) -> Int? { node[fact]?.int }
    /// A boolean fact.
    public func bool(_ fact: AuditFact) -> Bool? { node[fact]?.bool }
    /// A time fact (RFC 3339).
    public func instant(_ fact: AuditFact) -> Instant? { string(fact).flatMap(TimeParsing.parseDate) }
    /// The strings of an array fact (empty when absent).
    public func strings(_ fact: AuditFact) -> [String] { node[fact]?.elements.compactMap(\.string) ?? [] }
    /// An object or array fact, for the few facts with members of their own.
    public func value(_ fact: AuditFact) -> DocumentJSON.Node? { node[fact] }
}

/// The members of audit entries: the envelope every entry has, then every fact some
/// event records. Writers (`AuditLog.record`) and readers (`AuditEntry`) use these names only.
public enum AuditFact: String, Sendable, CaseIterable {
    // The envelope, in every entry.
    case sequence = "seq", time, event, caseID = "case", prev
    // Request and case facts.
    case authority, country, instrument, received, emergency, preservation, subjects, accounts
    case requestSHA512 = "request_sha512", requestCanonicalSHA512 = "request_canonical_sha512", caseNonce = "case_nonce"
    case responseDue = "response_due", due, followUpHours = "follow_up_hours", late, reference, reason, state, notice, order
    // Plans and decisions.
    case planSHA512 = "plan_sha512", verdict, planFileWritten = "plan_file_written", approvalsRequired = "approvals_required"
    case refusalReasons = "refusal_reasons", refusalReason = "refusal_reason", keyID = "key_id", previous
    // Exports, verification, preservation.
    case bundleID = "bundle_id", contentDisclosed = "content_disclosed", recordsDisclosed = "records_disclosed", approvers, location
    case again, againReason = "again_reason", previousBundles = "previous_bundles", ok
    case until, extensionDays = "extension_days", recordsPreserved = "records_preserved", files
    case manifestSHA512 = "manifest_sha512", preservationSHA512 = "preservation_sha512"
    // The provider's signed heads (`head_signed`).
    case signedSequence = "signed_seq", signedSHA512 = "signed_sha512", signature

    /// Facts as the log writes them (member name, value), in the order given.
    public static func members(_ facts: [(AuditFact, JSONOutput)]) -> [(String, JSONOutput)] { facts.map { ($0.0.rawValue, $0.1) } }
}

extension Policy.ApprovalRule {
    /// The `approvals_required` fact of a `planned` entry: `{count, roles}`.
    var auditFact: JSONOutput { .object([("count", .int(count)), ("roles", .array(roles.map { .string($0) }))]) }

    /// Reads an `approvals_required` fact; nil without a whole-number `count`.
    init?(auditFact n: DocumentJSON.Node) {
        guard let c = n["count"]?.int else { return nil }
        self.init(count: c, roles: n["roles"]?.elements.compactMap(\.string) ?? [])
    }
}

extension DocumentJSON.Node {
    /// Member `fact` of an audit entry (nil when absent or not an object).
    public subscript(fact: AuditFact) -> DocumentJSON.Node? { self[fact.rawValue] }
}

extension AuditLog {
    /// Appends one entry of `event` with its typed facts; see `append(event:caseID:time:facts:)`.
    @discardableResult
    public func record(_ event: CaseEvent, caseID: String, time: Instant = .now, facts: [(AuditFact, JSONOutput)]) throws -> Head {
        try append(event: event.rawValue, caseID: caseID, time: time, facts: AuditFact.members(facts))
    }

    /// Every entry of the log, in order. Unreadable lines are an error naming the line
    /// (run `verify()` for the chain); a missing log has no entries.
    public func entries() throws -> [AuditEntry] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        var out: [AuditEntry] = []
        var lineNumber = 0
        try LineReader.forEachLine(path: path) { line in
            lineNumber += 1
            let node = try DocumentJSON.parse(line, file: path)
            guard let seq = node[.sequence]?.int, let t = node[.time]?.string.flatMap(TimeParsing.parseDate),
                  let event = node[.event]?.string, let id = node[.caseID]?.string else {
                throw InputError(file: path, line: lineNumber, message: "audit entry lacks seq, time, event or case",
                                 hint: "check the log with:", next: .verifyAuditLog)
            }
            out.append(AuditEntry(sequence: seq, time: t, event: event, caseID: id, node: node))
        }
        return out
    }
}
