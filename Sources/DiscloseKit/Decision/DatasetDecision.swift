/// The decisions for one dataset.
public struct DatasetDecision: Sendable {
    /// The data map's dataset.
    public var dataset: DataMap.Dataset
    /// One decision per mapped field, sorted by path.
    public var fields: [FieldDecision]
    /// True when the request window restricts this dataset's records.
    public var windowApplies: Bool

    /// False when every field is withheld: then no record of the dataset is selected at
    /// all (an empty record says nothing but would still be "disclosed").
    public var disclosesAnything: Bool { fields.contains { $0.action != .withhold } }

    /// The action table the streaming engine applies.
    public var actions: [FieldPath: FieldAction] {
        Dictionary(uniqueKeysWithValues: fields.map { ($0.path, $0.action) })
    }
}
