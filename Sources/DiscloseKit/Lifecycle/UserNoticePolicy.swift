/// The provider's default for user notice (policy member `user_notice`): notify before
/// disclosure unless an order forbids it; within `daysAfterOrder` days after a delay or
/// prohibition ends; after an emergency disclosure, within `daysAfterEmergency` days of
/// the emergency passing (the follow-up legal process arriving, or its deadline).
public struct UserNoticePolicy: Sendable, Equatable {
    /// Notify the user before disclosing when no order forbids it.
    public var beforeDisclosure = true
    /// Days after a delay or prohibition ends within which notice is due.
    public var daysAfterOrder = 7
    /// Days after an emergency passes within which notice is due.
    public var daysAfterEmergency = 7

    /// The built-in default (used for a request with a `notice` member when the policy has no `user_notice`).
    public init() {}

    /// Reads policy member `user_notice`.
    static func parse(_ top: inout DocumentFields) throws -> UserNoticePolicy? {
        guard var f = try top.optionalObject("user_notice") else { return nil }
        var p = UserNoticePolicy()
        p.beforeDisclosure = try f.bool("before_disclosure", default: true)
        p.daysAfterOrder = try f.optionalInt("days_after_order", range: 0...3660) ?? p.daysAfterOrder
        p.daysAfterEmergency = try f.optionalInt("days_after_emergency", range: 0...3660) ?? p.daysAfterEmergency
        try f.finish()
        return p
    }
}
