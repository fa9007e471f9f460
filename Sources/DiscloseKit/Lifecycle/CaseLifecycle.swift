import Foundation
import Primitives

/// The events a case goes through, as written in the audit log's `event` member. The log
/// is the one record of a case's life: `status` and `report` are computed from it alone
/// (plus the policy for deadlines), so what they show is what the chain proves.
public enum CaseEvent: String, Sendable, CaseIterable {
    /// The request arrived and was recorded (`disclose case receive`).
    case received
    /// A plan was computed (`disclose plan`); facts carry the verdict.
    case planned
    /// A reviewer approved a plan.
    case approved
    /// A reviewer rejected a plan.
    case rejected
    /// A bundle was sealed (`disclose export`); facts carry verdict and counts.
    case exported
    /// An export failed after its `exported` entry was written (fact `bundle_id`): that
    /// bundle never came into place and its `exported` entry does not count.
    case exportFailed = "export_failed"
    /// The provider answered that it holds no data in scope (`disclose case no-data`).
    case noData = "no_data"
    /// An emergency disclosure's follow-up legal process is due by the fact `due`.
    case followUpDue = "follow_up_due"
    /// The follow-up legal process for an emergency disclosure arrived (`disclose case follow-up`).
    case followUpReceived = "follow_up_received"
    /// Scoped records were sealed to the provider's escrow (`disclose preserve`).
    case preserved
    /// A preservation was extended once (`disclose case extend`).
    case preservationExtended = "preservation_extended"
    /// The provider verified one of its bundles (`disclose verify`).
    case verified
    /// The case was closed (`disclose case close`).
    case closed
    /// The case was voided (`disclose case void`): opened by mistake; left out of
    /// `status` and the report, kept in the chain.
    case voided
    /// The user was told of the request (`disclose case notified`).
    case userNotified = "user_notified"
}

/// One parsed audit log entry.
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
    public func string(_ key: String) -> String? { node[key]?.string }
    /// An integer fact.
    public func int(_ key: String) -> Int? { node[key]?.int }
    /// A boolean fact.
    public func bool(_ key: String) -> Bool? { node[key]?.bool }
    /// A time fact (RFC 3339).
    public func instant(_ key: String) -> Instant? { string(key).flatMap(TimeParsing.parseDate) }
}

extension AuditLog {
    /// Every entry of the log, in order. Unreadable lines are an error naming the line
    /// (run `verify()` for the chain); a missing log has no entries.
    public func entries() throws -> [AuditEntry] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        var out: [AuditEntry] = []
        var lineNumber = 0
        try LineReader.forEachLine(path: path) { line in
            lineNumber += 1
            let node = try DocumentJSON.parse(line, file: path)
            guard let seq = node["seq"]?.int, let t = node["time"]?.string.flatMap(TimeParsing.parseDate),
                  let event = node["event"]?.string, let id = node["case"]?.string else {
                throw InputError(file: path, line: lineNumber, message: "audit entry lacks seq, time, event or case",
                                 hint: "check the log with:", next: .verifyAuditLog)
            }
            out.append(AuditEntry(sequence: seq, time: t, event: event, caseID: id, node: node))
        }
        return out
    }
}

/// Everything the audit log says about one case, folded from its entries in order.
public struct CaseHistory: Sendable {
    /// The request id.
    public var id: String
    /// When the provider received the request (the request's `received`).
    public var received: Instant?
    /// When `disclose case receive` recorded it.
    public var recorded: Instant?
    /// Requesting authority id.
    public var authority: String?
    /// Authority country (ISO 3166), for the report.
    public var country: String?
    /// Instrument type.
    public var instrument: String?
    /// Emergency request.
    public var emergency = false
    /// A preservation request.
    public var preservation = false
    /// Subject identifiers in the request ("accounts specified").
    public var subjects: Int?
    /// Accounts the subjects resolved to, from the latest export or preservation.
    public var accounts: Int?
    /// Verdict of the latest plan.
    public var lastPlanVerdict: String?
    /// A reviewer rejected a plan.
    public var reviewerRejected = false
    /// Form 3 families of the latest plan's failed checks (`refusal_reasons`), in check order.
    public var planRefusalReasons: [String] = []
    /// Form 3 family recorded with the latest rejection (`refusal_reason`).
    public var rejectionReason: String?
    /// Number of approvals recorded.
    public var approvals = 0
    /// First export that disclosed records: when, and whether content was among them.
    public var disclosed: (time: Instant, content: Bool)?
    /// Bundle id of the export behind `disclosed` / `noDataAnswered`, so a later
    /// `export_failed` for it can withdraw them.
    public var answeredByBundle: String?
    /// Answered with no data (an export with verdict `no_data`, or `case no-data`).
    public var noDataAnswered: Instant?
    /// When the emergency follow-up is due, if recorded.
    public var followUpDue: Instant?
    /// When the follow-up legal process arrived, and its reference.
    public var followUpReceived: (time: Instant, reference: String)?
    /// When the records were sealed, and until when (before any extension).
    public var preserved: (time: Instant, until: Instant)?
    /// New expiry after the one extension.
    public var extendedUntil: Instant?
    /// When the case was closed.
    public var closed: Instant?
    /// The latest event name and its time.
    public var last: (event: String, time: Instant)?
    /// When the case was voided, and why.
    public var voided: (time: Instant, reason: String)?
    /// Digest of the latest plan (`planned` entry's `plan_sha512`).
    public var lastPlanSHA512: String?
    /// The approvals the latest plan requires (`planned` fact `approvals_required`).
    public var approvalsRequired: Policy.ApprovalRule?
    /// Every review recorded, in order: verdict (`approved` / `rejected`), the reviewer's
    /// key id and the digest of the plan reviewed.
    public var reviews: [(event: String, keyID: String, planSHA512: String)] = []
    /// What the request says about telling the user (`notice` facts of the latest entry carrying them).
    public var notice: NoticeOrder?
    /// When the user was told, and the note recorded with it.
    public var notified: (time: Instant, reference: String?)?

    /// A case with only its id.
    public init(id: String) { self.id = id }

    /// The expiry of the preservation, extensions included.
    public var preservedUntil: Instant? { extendedUntil ?? preserved?.until }

    /// Folds one entry of this case into the history.
    public mutating func apply(_ e: AuditEntry) {
        last = (e.event, e.time)
        func common() {
            if let r = e.instant("received") { received = r }
            if let a = e.string("authority") { authority = a }
            if let c = e.string("country") { country = c }
            if let i = e.string("instrument") { instrument = i }
            if let em = e.bool("emergency") { emergency = em }
            if let p = e.bool("preservation") { preservation = p }
            if let s = e.int("subjects") { subjects = s }
            if let n = NoticeOrder(facts: e) { notice = n }
        }
        switch CaseEvent(rawValue: e.event) {
        case .received: common(); recorded = e.time
        case .planned:
            common(); lastPlanVerdict = e.string("verdict"); lastPlanSHA512 = e.string("plan_sha512") ?? lastPlanSHA512
            planRefusalReasons = e.node["refusal_reasons"]?.elements.compactMap(\.string) ?? []
            if let n = e.node["approvals_required"], let c = n["count"]?.int {
                approvalsRequired = Policy.ApprovalRule(count: c, roles: n["roles"]?.elements.compactMap(\.string) ?? [])
            }
        case .approved:
            approvals += 1
            reviews.append((e.event, e.string("key_id") ?? "?", e.string("plan_sha512") ?? ""))
        case .rejected:
            reviewerRejected = true; rejectionReason = e.string("refusal_reason") ?? rejectionReason
            reviews.append((e.event, e.string("key_id") ?? "?", e.string("plan_sha512") ?? ""))
        case .exported:
            common()
            if let a = e.int("accounts") { accounts = a }
            switch e.string("verdict") {
            case "disclose": if disclosed == nil { disclosed = (e.time, e.bool("content_disclosed") ?? false); answeredByBundle = e.string("bundle_id") }
            case "no_data": if noDataAnswered == nil { noDataAnswered = e.time; answeredByBundle = e.string("bundle_id") }
            default: break
            }
        case .exportFailed:
            if let b = e.string("bundle_id"), b == answeredByBundle {
                disclosed = nil; noDataAnswered = nil; answeredByBundle = nil
            }
        case .noData: if noDataAnswered == nil { noDataAnswered = e.time }
        case .followUpDue: followUpDue = e.instant("due") ?? followUpDue
        case .followUpReceived: followUpReceived = (e.time, e.string("reference") ?? "")
        case .preserved:
            common(); preservation = true
            if let a = e.int("accounts") { accounts = a }
            if let until = e.instant("until") { preserved = (e.time, until) }
        case .preservationExtended: extendedUntil = e.instant("until") ?? extendedUntil
        case .closed: closed = e.time
        case .voided: voided = (e.time, e.string("reason") ?? "")
        case .userNotified: if notified == nil { notified = (e.time, e.string("reference")) }
        case .verified, nil: break
        }
    }

    /// Where the case stands.
    public var state: CaseState {
        if closed != nil { return .closed }
        if preservation { return preserved != nil ? .preserved : (lastPlanVerdict == "refused" ? .refused : .received) }
        if disclosed != nil { return .disclosed }
        if noDataAnswered != nil { return .noData }
        if lastPlanVerdict == "refused" { return .refused }
        if reviewerRejected && approvals == 0 { return .rejected }
        if approvals > 0 { return .approved }
        if lastPlanVerdict != nil { return .planned }
        return .received
    }

    /// True once the authority has its answer (data, no data, or a refusal).
    public var answered: Bool { [.disclosed, .noData, .refused, .preserved].contains(state) }
}

/// The states `status` shows.
public enum CaseState: String, Sendable {
    /// Recorded, not yet planned.
    case received
    /// Planned, awaiting review.
    case planned
    /// Approved, awaiting export.
    case approved
    /// A reviewer rejected the plan (a new plan or a refusal is due).
    case rejected
    /// Refused by the policy checks.
    case refused
    /// Records disclosed.
    case disclosed
    /// Answered: no data in scope.
    case noData = "no_data"
    /// Records sealed under a preservation request.
    case preserved
    /// Closed.
    case closed
}

/// Folds a log into per-case histories.
public enum CaseLedger {
    /// Histories by case, in order of first appearance.
    public static func histories(_ entries: [AuditEntry]) -> [CaseHistory] {
        var index: [String: Int] = [:]
        var out: [CaseHistory] = []
        for e in entries {
            let i: Int
            if let known = index[e.caseID] { i = known } else {
                i = out.count; index[e.caseID] = i; out.append(CaseHistory(id: e.caseID))
            }
            out[i].apply(e)
        }
        return out
    }

    /// Histories of the log at `log`.
    public static func load(_ log: AuditLog) throws -> [CaseHistory] { histories(try log.entries()) }
}
