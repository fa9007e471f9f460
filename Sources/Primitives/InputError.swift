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
    /// What to do about it, in the domain's words.
    public var hint: String?
    /// The step that fixes it, when it is a command of the tool (rendered by the front end
    /// after `hint`).
    public var next: NextStep?

    /// Builds an error; `line`, `column`, `field`, `hint` and `next` are optional.
    public init(file: String, line: Int? = nil, column: Int? = nil, field: String? = nil, message: String, hint: String? = nil,
                next: NextStep? = nil) {
        self.file = file; self.line = line; self.column = column; self.field = field
        self.message = message; self.hint = hint; self.next = next
    }

    /// `file:line:column: field 'x': message`.
    public var description: String {
        InputLocation.describe(file: file, line: line, column: column, field: field, message: message)
    }
}
