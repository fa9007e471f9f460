/// Strict, position-aware access to one JSON object of a document: every key must be
/// known (unknown keys are errors, since a misspelt limit must not be silently ignored),
/// every value must have the right type, and errors name the file, line and key path.
struct DocumentFields {
    let file: String
    let path: String
    let node: DocumentJSON.Node
    private let members: [(key: String, value: DocumentJSON.Node)]
    private var used = Set<String>()

    /// Wraps `node`, which must be an object.
    init(_ node: DocumentJSON.Node, file: String, path: String = "") throws {
        self.file = file; self.path = path; self.node = node
        guard case .object(let m) = node.value else {
            throw InputError(file: file, line: node.line, column: node.column, field: path.isEmpty ? nil : path,
                             message: "expected an object")
        }
        members = m
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func fail(_ key: String, _ node: DocumentJSON.Node?, _ message: String, hint: String? = nil) -> InputError {
        let n = node ?? self.node
        return InputError(file: file, line: n.line, column: n.column, field: keyPath(key), message: message, hint: hint)
    }

    /// Error positioned at this object itself.
    func fail(_ message: String, hint: String? = nil) -> InputError {
        InputError(file: file, line: node.line, column: node.column, field: path.isEmpty ? nil : path, message: message, hint: hint)
    }

    mutating func raw(_ key: String) -> DocumentJSON.Node? {
        used.insert(key)
        return members.first(where: { $0.key == key })?.value
    }

    mutating func required(_ key: String) throws -> DocumentJSON.Node {
        guard let n = raw(key) else { throw fail(key, nil, "required key is missing") }
        return n
    }

    mutating func string(_ key: String) throws -> String {
        let n = try required(key)
        guard case .string(let s) = n.value else { throw fail(key, n, "expected a string") }
        guard !s.isEmpty else { throw fail(key, n, "must not be empty") }
        return s
    }

    mutating func optionalString(_ key: String) throws -> String? {
        guard let n = raw(key) else { return nil }
        if case .null = n.value { return nil }
        guard case .string(let s) = n.value else { throw fail(key, n, "expected a string") }
        guard !s.isEmpty else { throw fail(key, n, "must not be empty") }
        return s
    }

    mutating func bool(_ key: String, default d: Bool) throws -> Bool {
        guard let n = raw(key) else { return d }
        guard case .bool(let b) = n.value else { throw fail(key, n, "expected true or false") }
        return b
    }

    mutating func int(_ key: String, range: ClosedRange<Int>) throws -> Int {
        let n = try required(key)
        return try intValue(key, n, range: range)
    }

    mutating func optionalInt(_ key: String, range: ClosedRange<Int>) throws -> Int? {
        guard let n = raw(key) else { return nil }
        return try intValue(key, n, range: range)
    }

    private func intValue(_ key: String, _ n: DocumentJSON.Node, range: ClosedRange<Int>) throws -> Int {
        guard case .number(let t) = n.value, let v = Int(t) else { throw fail(key, n, "expected a whole number") }
        guard range.contains(v) else { throw fail(key, n, "must be between \(range.lowerBound) and \(range.upperBound)") }
        return v
    }

    mutating func array(_ key: String) throws -> [DocumentJSON.Node] {
        let n = try required(key)
        guard case .array(let a) = n.value else { throw fail(key, n, "expected an array") }
        return a
    }

    mutating func optionalArray(_ key: String) throws -> [DocumentJSON.Node]? {
        guard let n = raw(key) else { return nil }
        guard case .array(let a) = n.value else { throw fail(key, n, "expected an array") }
        return a
    }

    mutating func stringArray(_ key: String) throws -> [String] {
        try array(key).enumerated().map { i, n in
            guard case .string(let s) = n.value, !s.isEmpty else { throw fail("\(key)[\(i)]", n, "expected a non-empty string") }
            return s
        }
    }

    mutating func optionalStringArray(_ key: String) throws -> [String]? {
        guard raw(key) != nil else { return nil }
        return try stringArray(key)
    }

    mutating func object(_ key: String) throws -> DocumentFields {
        let n = try required(key)
        return try DocumentFields(n, file: file, path: keyPath(key))
    }

    mutating func optionalObject(_ key: String) throws -> DocumentFields? {
        guard let n = raw(key) else { return nil }
        if case .null = n.value { return nil }
        return try DocumentFields(n, file: file, path: keyPath(key))
    }

    /// The members of an object used as a map (keys are data, not schema).
    mutating func map(_ key: String) throws -> [(key: String, fields: DocumentFields)] {
        let n = try required(key)
        let o = try DocumentFields(n, file: file, path: keyPath(key))
        return try o.members.map { ($0.key, try DocumentFields($0.value, file: file, path: o.keyPath($0.key))) }
    }

    /// Objects of an array.
    mutating func objects(_ key: String) throws -> [DocumentFields] {
        try array(key).enumerated().map { try DocumentFields($1, file: file, path: keyPath("\(key)[\($0)]")) }
    }

    mutating func optionalObjects(_ key: String) throws -> [DocumentFields] {
        guard raw(key) != nil else { return [] }
        return try objects(key)
    }

    /// A string that must be one of a known set (e.g. a category).
    mutating func choice<T: RawRepresentable>(_ key: String, as: T.Type) throws -> T where T.RawValue == String, T: CaseIterable {
        let n = try required(key)
        return try choiceValue(key, n, as: T.self)
    }

    func choiceValue<T: RawRepresentable>(_ key: String, _ n: DocumentJSON.Node, as: T.Type) throws -> T where T.RawValue == String, T: CaseIterable {
        guard case .string(let s) = n.value else { throw fail(key, n, "expected a string") }
        guard let v = T(rawValue: s) else {
            throw fail(key, n, "unknown value '\(s)'", hint: "use one of: " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return v
    }

    /// Throws for the first key that was never asked for.
    func finish() throws {
        for (k, v) in members where !used.contains(k) {
            throw fail(k, v, "unknown key", hint: "remove it or check its spelling")
        }
    }
}

extension DocumentFields {
    /// A required string that may be empty (a document Disclose wrote, read back as written).
    mutating func text(_ key: String) throws -> String {
        let n = try required(key)
        guard case .string(let s) = n.value else { throw fail(key, n, "expected a string") }
        return s
    }

    /// A string, `null` or absent (nil for both), which may be empty.
    mutating func nullableText(_ key: String) throws -> String? {
        guard let n = raw(key) else { return nil }
        if case .null = n.value { return nil }
        guard case .string(let s) = n.value else { throw fail(key, n, "expected a string or null") }
        return s
    }

    /// A required boolean.
    mutating func flag(_ key: String) throws -> Bool {
        let n = try required(key)
        guard case .bool(let b) = n.value else { throw fail(key, n, "expected true or false") }
        return b
    }

    /// A required count (a whole number, zero or more).
    mutating func count(_ key: String) throws -> Int { try int(key, range: 0...Int.max) }

    /// A required array of strings, which may be empty strings.
    mutating func texts(_ key: String) throws -> [String] {
        try array(key).enumerated().map { i, n in
            guard case .string(let s) = n.value else { throw fail("\(key)[\(i)]", n, "expected a string") }
            return s
        }
    }

    /// The members of an object whose keys are data, each a count, in document order.
    mutating func counts(_ key: String) throws -> [(key: String, count: Int)] {
        let n = try required(key)
        guard case .object(let members) = n.value else { throw fail(key, n, "expected an object") }
        return try members.map { m in
            guard case .number(let t) = m.value.value, let v = Int(t), v >= 0 else { throw fail("\(key).\(m.key)", m.value, "expected a count (a whole number, zero or more)") }
            return (m.key, v)
        }
    }
}
