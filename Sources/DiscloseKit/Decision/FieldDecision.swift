/// What happens to one mapped field of a dataset, and why.
public struct FieldDecision: Sendable, Equatable {
    /// The field.
    public var path: FieldPath
    /// Its category in the data map.
    public var category: DataCategory
    /// Whether its values identify third parties.
    public var thirdParty: Bool
    /// The action applied to its values.
    public var action: FieldAction
    /// Why, in words a reviewer can check.
    public var reason: String
}
