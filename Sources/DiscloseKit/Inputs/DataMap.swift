/// The legal category of a field, in the taxonomy that requests and instruments use.
public enum DataCategory: String, Sendable, Codable, CaseIterable, Comparable {
    /// Who the account holder is: name, email, phone, billing, account dates.
    case subscriber
    /// Data used only to identify a user: IP addresses, session ids, ports.
    case identification
    /// Metadata about communications: who, when, how much.
    case traffic
    /// What was said or stored: message bodies, file contents, subjects.
    case content
    /// Fields no request may obtain (password hashes, internal risk scores).
    case never

    private var order: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: DataCategory, b: DataCategory) -> Bool { a.order < b.order }
}

/// The provider's description of its exports: which datasets exist, how to read them,
/// and the category of every field. Anything not described here is withheld.
public struct DataMap: Sendable {
    /// How one field is classified.
    public struct Field: Sendable, Equatable {
        /// The field's address in a record.
        public var path: FieldPath
        /// Its legal category.
        public var category: DataCategory
        /// True when its values identify people other than the subject (correspondents).
        public var thirdParty: Bool
        /// The redaction to use for third-party values instead of the policy default.
        public var redaction: FieldAction?
    }

    /// An identifier field used to resolve subjects to accounts.
    public struct Identifier: Sendable, Equatable {
        /// What kind of identifier the field holds.
        public var kind: IdentifierKind
        /// The field.
        public var field: FieldPath
        /// For IP identifiers: how far (seconds) a record's time may be from the
        /// requested observation time.
        public var toleranceSeconds: Int
    }

    /// One export.
    public struct Dataset: Sendable {
        /// Short unique name (used in plans and bundle file names).
        public var name: String
        /// What the dataset holds, for people reading the plan.
        public var description: String?
        /// Path or glob (`*` and `?` in the last component) relative to the data root.
        public var path: String
        /// File format.
        public var format: DataFormat
        /// Field holding the account id.
        public var accountField: FieldPath
        /// Field holding the record time; nil when records are not time-stamped
        /// (current subscriber information), so no window applies.
        public var timeField: FieldPath?
        /// Format of the time field.
        public var timeFormat: TimeFormat
        /// Identifier fields for subject resolution.
        public var identifiers: [Identifier]
        /// Every known field.
        public var fields: [Field]
    }

    /// The datasets, in the order they are processed and reported.
    public var datasets: [Dataset]
}

extension DataMap {
    /// Loads and validates a data map file.
    public static func load(path: String) throws -> DataMap {
        try parse(DocumentJSON.load(path: path), file: path)
    }

    /// Validates a parsed data map document.
    public static func parse(_ root: DocumentJSON.Node, file: String) throws -> DataMap {
        var top = try DocumentFields(root, file: file)
        var datasets: [Dataset] = []
        var names = Set<String>()
        for var d in try top.objects("datasets") {
            let name = try d.string("name")
            guard name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2D }),
                  name.utf8.count <= 64 else {
                throw d.fail("name", nil, "dataset names use a-z, 0-9, '_' and '-' only (at most 64)", hint: "they become file names in the bundle")
            }
            guard names.insert(name).inserted else { throw d.fail("name", nil, "duplicate dataset name '\(name)'") }
            let description = try d.optionalString("description")
            let path = try d.string("path")
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw d.fail("path", nil, "must be relative to the data root, without '..'")
            }
            let format = try d.choice("format", as: DataFormat.self)
            let account = try fieldPath(&d, "account_field")
            let time = try d.optionalString("time_field").map { t -> FieldPath in
                guard let p = FieldPath(parsing: t) else { throw d.fail("time_field", nil, "invalid field path") }
                return p
            }
            var timeFormat = TimeFormat.rfc3339
            if d.raw("time_format") != nil { timeFormat = try d.choice("time_format", as: TimeFormat.self) }
            var fields: [Field] = []
            var seen = Set<FieldPath>()
            for (key, var f) in try d.map("fields") {
                guard let p = FieldPath(parsing: key) else { throw f.fail("invalid field path '\(key)'") }
                if format == .csv, p.components.count != 1 {
                    throw f.fail("CSV columns are flat: nested paths and [] do not apply")
                }
                guard seen.insert(p).inserted else { throw f.fail("field path listed twice") }
                let category = try f.choice("category", as: DataCategory.self)
                let third = try f.bool("third_party", default: false)
                var redaction: FieldAction? = nil
                if f.raw("redaction") != nil {
                    redaction = try f.choice("redaction", as: FieldAction.self)
                    guard redaction != .disclose else { throw f.fail("redaction", nil, "a redaction cannot be 'disclose'") }
                }
                try f.finish()
                fields.append(Field(path: p, category: category, thirdParty: third, redaction: redaction))
            }
            guard fields.contains(where: { $0.path == account }) else {
                throw d.fail("account_field", nil, "the account field must also be listed under 'fields' with its category")
            }
            if let time, !fields.contains(where: { $0.path == time }) {
                throw d.fail("time_field", nil, "the time field must also be listed under 'fields' with its category")
            }
            var identifiers: [Identifier] = []
            for var idf in try d.optionalObjects("identifiers") {
                let kind = try idf.choice("kind", as: IdentifierKind.self)
                let field = try fieldPath(&idf, "field")
                let tolerance = try idf.optionalInt("tolerance_seconds", range: 0...86_400) ?? 300
                if kind == .ipv4 || kind == .ipv6, time == nil {
                    throw idf.fail("kind", nil, "IP identifiers need a dataset with a time_field (addresses are shared over time)")
                }
                try idf.finish()
                identifiers.append(Identifier(kind: kind, field: field, toleranceSeconds: tolerance))
            }
            try d.finish()
            datasets.append(Dataset(name: name, description: description, path: path, format: format, accountField: account,
                                    timeField: time, timeFormat: timeFormat, identifiers: identifiers,
                                    fields: fields.sorted { $0.path < $1.path }))
        }
        guard !datasets.isEmpty else { throw top.fail("datasets", nil, "at least one dataset is required") }
        try top.finish()
        return DataMap(datasets: datasets)
    }

    private static func fieldPath(_ d: inout DocumentFields, _ key: String) throws -> FieldPath {
        let s = try d.string(key)
        guard let p = FieldPath(parsing: s) else { throw d.fail(key, nil, "invalid field path '\(s)'") }
        return p
    }
}
