/// Where a case stands on telling the user, as `status` shows it.
public struct NoticeStatus: Sendable, Equatable {
    /// The state.
    public enum State: String, Sendable {
        /// Notice is due (by `due`, or before disclosure when `due` is nil).
        case due
        /// An order delays or forbids notice until `until`.
        case prohibited
        /// An emergency disclosure: notice waits until the emergency passes (`until`).
        case emergency
        /// The user was told (`given`).
        case given
        /// The policy does not notify, or nothing was disclosed.
        case notRequired = "not_required"
    }
    /// The state.
    public var state: State
    /// The order's kind (`allowed`, `delayed`, `prohibited`) when the request said.
    public var order: NoticeOrder?
    /// Notice is not allowed before this instant.
    public var until: Instant?
    /// Notice is due by this instant (nil: before disclosure, which has not happened yet).
    public var due: Instant?
    /// When the user was told.
    public var given: Instant?

    /// True when notice is due and its deadline has passed.
    public func overdue(at now: Instant) -> Bool { state == .due && (due.map { $0 < now } ?? false) }

    /// True when it needs someone's attention (shown in `status` even for an answered case).
    public var pending: Bool { [.due, .prohibited, .emergency].contains(state) }

    /// As JSON (`status --json`, member `notice`).
    public func json(at now: Instant) -> JSONOutput {
        .object([("state", .string(state.rawValue)), ("order", .optional(order?.kind.rawValue)),
                 ("order_reference", .optional(order?.reference)), ("until", .optional(until?.description)),
                 ("due", .optional(due?.description)), ("due_before_disclosure", .bool(state == .due && due == nil)),
                 ("overdue", .bool(overdue(at: now))), ("given", .optional(given?.description))])
    }
}
