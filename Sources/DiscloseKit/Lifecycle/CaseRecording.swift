import Foundation
import Primitives
import Sodium

/// The lifecycle events a compliance officer records by hand (`disclose case …`): receipt,
/// a no-data answer, the emergency follow-up, a preservation's extension, closing. Each
/// checks the case's history first, so the log tells a consistent story.
public enum CaseRecording {
    /// Records the receipt of the request at `requestPath` (structure-checked, not yet
    /// policy-checked: that is `plan`), with its response deadline and, for an emergency,
    /// a `follow_up_due` entry. Refuses a request id already received.
    /// With `acknowledge`, an HI-1 request's acknowledgement (`HI1Acknowledgement`) is
    /// written there, from the same bytes, once the receipt is recorded.
    @discardableResult
    public static func receive(config: ProviderConfig, requestPath: String, acknowledge: String? = nil, now: Instant = .now) throws -> CaseHistory {
        let policy = try Policy.load(path: config.policyPath)
        // Read once: the bytes hashed are the bytes parsed (JSON or an HI-1 message).
        let bytes = try FileBytes.read(path: requestPath, limit: RequestLoader.maxBytes)
        let request = try RequestLoader.parse(bytes, file: requestPath, policy: policy)
        var acknowledgement: [UInt8]?
        if let acknowledge {
            guard RequestLoader.isXML(bytes), let me = policy.hi1Receiver else {
                throw InputError(file: requestPath, message: "only an HI-1 request is acknowledged in HI-1", hint: "drop --acknowledge for a JSON request")
            }
            guard !FileManager.default.fileExists(atPath: acknowledge) else {
                throw InputError(file: acknowledge, message: "already exists; refusing to overwrite")
            }
            acknowledgement = Array(HI1Acknowledgement.message(request: try InputError.fromHI1 { try HI1Reader.read(bytes, file: requestPath) }, from: me, now: now).utf8)
        }
        let log = AuditLog(path: config.auditLogPath)
        let existing = try CaseLedger.load(log).first { $0.id == request.id }
        if let existing, existing.recorded != nil {
            throw Refusal("case \(request.id) was already received (recorded \(existing.recorded!))", hint: "see it with:", next: .status())
        }
        let instrument = policy.instruments[request.instrument.type]
        let emergency = request.emergency != nil || instrument?.emergency == true
        let hours = CaseStatus.responseHours(instrument: instrument, emergency: emergency)
        try log.record(.received, caseID: request.id, time: now, facts: [
            (.authority, .string(request.authority)), (.country, .optional(policy.authorities[request.authority]?.country)),
            (.instrument, .string(request.instrument.type)), (.received, .string(request.received.description)),
            (.emergency, .bool(emergency)), (.preservation, .bool(instrument?.preservation != nil)),
            (.subjects, .int(request.subjects.count)),
            (.requestSHA512, .string(Hex.encode(SHA512.hash(bytes)))),
            (.responseDue, .optional(hours.map { request.received.advanced(bySeconds: $0 * 3600).description })),
        ] + UserNotice.facts(request))
        if emergency {
            try log.record(.followUpDue, caseID: request.id, time: now, facts: [
                (.due, .string(request.received.advanced(bySeconds: policy.emergency.followUpHours * 3600).description)),
                (.followUpHours, .int(policy.emergency.followUpHours)),
            ])
        }
        if let acknowledge, let acknowledgement { try AtomicFile.write(acknowledgement, to: acknowledge, overwrite: false) }
        return try history(log, request.id)
    }

    /// Records that the provider answered: no data in scope.
    public static func noData(log: AuditLog, caseID: String, reason: String?, now: Instant = .now) throws {
        let h = try openCase(log, caseID)
        guard h.disclosed == nil else { throw Refusal("case \(caseID) already disclosed records; it cannot be answered 'no data'") }
        guard !h.preservation else { throw Refusal("case \(caseID) is a preservation; preservations are not answered 'no data'") }
        try log.record(.noData, caseID: caseID, time: now, facts: [(.reason, .optional(reason))])
    }

    /// Records the arrival of the follow-up legal process for an emergency disclosure.
    public static func followUp(log: AuditLog, caseID: String, reference: String, now: Instant = .now) throws {
        let h = try openCase(log, caseID)
        guard h.emergency else { throw Refusal("case \(caseID) is not an emergency request; no follow-up is due") }
        guard h.followUpReceived == nil else { throw Refusal("the follow-up for \(caseID) was already recorded (\(h.followUpReceived!.reference))") }
        try log.record(.followUpReceived, caseID: caseID, time: now, facts: [
            (.reference, .string(reference)), (.due, .optional(h.followUpDue?.description)),
            (.late, .bool(h.followUpDue.map { now > $0 } ?? false)),
        ])
    }

    /// Records the one extension of a preservation, on the authority's renewed request.
    public static func extend(log: AuditLog, policy: Policy, caseID: String, reference: String, now: Instant = .now) throws -> Instant {
        let h = try openCase(log, caseID)
        let until = try Preservation.extensionEnd(h, policy: policy, now: now)
        try log.record(.preservationExtended, caseID: caseID, time: now, facts: [
            (.reference, .string(reference)), (.until, .string(until.description)),
        ])
        return until
    }

    /// Closes a case; the reason is recorded. Refuses an unknown or already closed case.
    public static func close(log: AuditLog, caseID: String, reason: String?, now: Instant = .now) throws {
        let h = try openCase(log, caseID)
        try log.record(.closed, caseID: caseID, time: now, facts: [
            (.state, .string(h.state.rawValue)), (.reason, .optional(reason)),
        ])
    }

    /// Records a plan made for a case (`planned`): the plan's digest and verdict, the
    /// request's facts the transparency report counts, the case nonce and, for a refused
    /// plan, the HI-1 refusal reasons of its failed checks. `document` is the plan's bytes.
    public static func planned(log: AuditLog, files: CaseFiles, outcome: CaseOutcome, document: [UInt8], planFileWritten: Bool,
                               caseNonce: String) throws {
        let request = files.request, decision = outcome.decision
        var facts: [(AuditFact, JSONOutput)] = [
            (.planSHA512, .string(PlanDigest.hex(document))), (.verdict, .string(outcome.verdict.rawValue)),
            (.authority, .string(request.authority)), (.country, .optional(decision.authority?.country)),
            (.instrument, .string(request.instrument.type)), (.received, .string(request.received.description)),
            (.emergency, .bool(request.emergency != nil)), (.planFileWritten, .bool(planFileWritten)),
            (.subjects, .int(request.subjects.count)),
            (.requestSHA512, .string(files.requestDigest)),
            (.requestCanonicalSHA512, .string(request.canonicalDigest)), (.caseNonce, .string(caseNonce)),
            (.approvalsRequired, decision.approvals.auditFact),
        ] + UserNotice.facts(request)
        if outcome.verdict == .refused {
            let reasons = HI1ReasonMap.reasons(failedChecks: decision.checks.filter { $0.outcome == .fail }.map(\.name), policy: files.policy)
            facts.append((.refusalReasons, .array(reasons.map { .string($0.rawValue) })))
        }
        try log.record(.planned, caseID: request.id, facts: facts)
    }

    /// Records that the provider verified one of its own bundles (`verified`), when the
    /// provider's configuration is in the working directory and the bundle names its
    /// request. An authority has no configuration, and a practice bundle is no case: then
    /// nothing is written. Best effort: verification's answer never depends on the log.
    public static func verified(_ report: VerificationReport) {
        guard !report.practice, FileManager.default.fileExists(atPath: ProviderConfig.defaultFileName),
              let config = try? ProviderConfig.load(path: nil), let request = report.requestID else { return }
        _ = try? AuditLog(path: config.auditLogPath).record(.verified, caseID: request, facts: [
            (.bundleID, .optional(report.bundleID)), (.ok, .bool(report.ok))])
    }

    private static func history(_ log: AuditLog, _ id: String) throws -> CaseHistory {
        guard let h = try CaseLedger.load(log).first(where: { $0.id == id }) else {
            throw Refusal("no case \(id) in the audit log", hint: "record it with:", next: .receive())
        }
        return h
    }

    private static func openCase(_ log: AuditLog, _ id: String) throws -> CaseHistory {
        let h = try history(log, id)
        guard h.closed == nil else { throw Refusal("case \(id) is closed (\(h.closed!))") }
        if let v = h.voided { throw Refusal("case \(id) was voided (\(v.time): \(v.reason))") }
        return h
    }
}
