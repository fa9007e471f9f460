/// Whether a requested category is granted, and why.
public struct CategoryDecision: Sendable, Equatable {
    /// The category.
    public var category: DataCategory
    /// True when the request asks for it.
    public var requested: Bool
    /// True when it will be disclosed.
    public var granted: Bool
    /// The reason, citing the rule.
    public var reason: String
}
