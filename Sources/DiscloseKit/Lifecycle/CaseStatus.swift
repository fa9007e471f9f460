/// A deadline an open case is held to.
public struct CaseDeadline: Sendable, Equatable {
    /// What is due.
    public enum Kind: String, Sendable {
        /// The answer to the authority (EU e-Evidence: 10 days, 8 hours in emergencies).
        case response
        /// Follow-up legal process for an emergency disclosure (policy `emergency.follow_up_hours`).
        case followUp = "follow_up"
        /// The end of a preservation (after it the sealed records are to be deleted).
        case preservationExpiry = "preservation_expiry"
    }
    /// What is due.
    public var kind: Kind
    /// When.
    public var due: Instant
}

/// One line of `disclose status`: an open case, its state and its nearest deadline.
public struct CaseStatusLine: Sendable {
    /// The case.
    public var history: CaseHistory
    /// Its state.
    public var state: CaseState
    /// Pending deadlines, earliest first.
    public var deadlines: [CaseDeadline]
    /// True when the earliest deadline has passed.
    public var overdue: Bool
    /// The review of the latest plan against the policy (nil before any plan).
    public var approvals: ApprovalProgress? = nil
    /// Where telling the user stands (nil when not tracked).
    public var notice: NoticeStatus? = nil
    /// The step that moves the case on (the front end renders it).
    public var nextStep: CaseNextStep.Advice = .nothing("")

    /// The earliest pending deadline.
    public var next: CaseDeadline? { deadlines.first }
}

/// Computes deadlines and the urgency order of open cases. Pure: the log's histories,
/// the policy and a clock reading in, lines out.
public enum CaseStatus {
    /// Hours to answer under the policy's instrument (`response_hours`), falling back to
    /// Regulation (EU) 2023/1543 Art. 10 for EU instruments: 240 h (10 days), 8 h in emergencies.
    public static func responseHours(instrument: Policy.Instrument?, emergency: Bool) -> Int? {
        if let h = instrument?.responseHours { return h }
        guard let instrument, instrument.preservation == nil, instrument.jurisdiction == "EU" else { return nil }
        return emergency || instrument.emergency ? 8 : 240
    }

    /// The pending deadlines of one case, earliest first (none once closed).
    public static func deadlines(_ h: CaseHistory, policy: Policy) -> [CaseDeadline] {
        guard h.closed == nil else { return [] }
        var out: [CaseDeadline] = []
        let instrument = h.instrument.flatMap { policy.instruments[$0] }
        if let received = h.received, !h.answered,
           let hours = responseHours(instrument: instrument, emergency: h.emergency) {
            out.append(CaseDeadline(kind: .response, due: received.advanced(bySeconds: hours * 3600)))
        }
        if h.emergency, h.followUpReceived == nil, let received = h.received, h.state != .refused {
            out.append(CaseDeadline(kind: .followUp, due: h.followUpDue ?? received.advanced(bySeconds: policy.emergency.followUpHours * 3600)))
        }
        if let until = h.preservedUntil { out.append(CaseDeadline(kind: .preservationExpiry, due: until)) }
        return out.sorted { $0.due < $1.due }
    }

    /// The state `status` shows: a plan counts as approved only when its approvals meet
    /// the policy and nobody rejected it (a veto binds; unknown keys do not count).
    public static func state(_ h: CaseHistory, progress: ApprovalProgress?) -> CaseState {
        let s = h.state
        guard [.planned, .approved, .rejected].contains(s), let p = progress else { return s }
        return !p.rejections.isEmpty ? .rejected : p.satisfied ? .approved : .planned
    }

    /// Open cases, most urgent first: overdue and nearest deadlines first, then cases with
    /// no deadline by receipt. With `all: false`, answered cases with nothing pending
    /// (no deadline, no user notice pending) are left out. Voided cases are never shown
    /// (`voidedCount` counts them).
    public static func lines(_ histories: [CaseHistory], policy: Policy, now: Instant, all: Bool = false) -> [CaseStatusLine] {
        let open = histories.filter { $0.closed == nil && $0.voided == nil }.map { h -> CaseStatusLine in
            let d = deadlines(h, policy: policy)
            let progress = ApprovalProgress.of(h, policy: policy)
            let notice = UserNotice.status(h, policy: policy, now: now)
            return CaseStatusLine(history: h, state: state(h, progress: progress), deadlines: d, overdue: d.first.map { $0.due < now } ?? false,
                                  approvals: progress, notice: notice,
                                  nextStep: CaseNextStep.advice(h, progress: progress, notice: notice))
        }.filter { all || !$0.deadlines.isEmpty || !$0.history.answered || $0.notice?.pending == true }
        return open.sorted { a, b in
            switch (a.next?.due, b.next?.due) {
            case let (x?, y?): return x != y ? x < y : a.history.id < b.history.id
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil):
                let x = a.history.received ?? a.history.recorded, y = b.history.received ?? b.history.recorded
                if let x, let y, x != y { return x < y }
                return a.history.id < b.history.id
            }
        }
    }
}

extension CaseStatus {
    /// Cases voided (left out of `status` and the report).
    public static func voidedCount(_ histories: [CaseHistory]) -> Int { histories.filter { $0.voided != nil }.count }
}

extension Instant {
    /// This instant plus `seconds` (deadlines, expiries).
    public func advanced(bySeconds seconds: Int) -> Instant { Instant(nanoseconds: nanoseconds + Int64(seconds) * 1_000_000_000) }
}
