import Primitives

/// A problem with a file the user gave us: which file, where in it, what is wrong and
/// what to do. Messages never contain record values or secrets.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (path as given) or a pseudo-name such as `<stdin>`.
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column (byte offset in the line), when known.
    public var column: Int?
    /// The field or key involved, when known (a field path or JSON key path).
    public var field: String?
    /// What is wrong, without echoing values.
    public var message: String
    /// What to do about it.
    public var hint: String?

    /// Builds an error; `line`, `column`, `field` and `hint` are optional.
    public init(file: String, line: Int? = nil, column: Int? = nil, field: String? = nil, message: String, hint: String? = nil) {
        self.file = file; self.line = line; self.column = column; self.field = field
        self.message = message; self.hint = hint
    }

    /// `file:line:column: field 'x': message`.
    public var description: String {
        InputLocation.describe(file: file, line: line, column: column, field: field, message: message)
    }
}
