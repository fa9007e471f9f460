import Primitives

/// A problem with an HI-1 (ETSI TS 103 120) message or with the XML it is written in:
/// which file, where in it, what is wrong and what to do. The HI1 module's only error, so
/// that the format knows nothing of Disclose; DiscloseKit turns it into its `InputError`
/// at the boundary (`InputError.init(_:)`), keeping messages and exit codes as they were.
/// Messages never contain record values or secrets.
public struct HI1Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (path as given) or a pseudo-name such as `<stdin>`.
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column (byte offset in the line), when known.
    public var column: Int?
    /// The element path or object involved, when known (e.g. `/HI1Message/Header`).
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

    /// `file:line:column: field 'x': message` (the same form as DiscloseKit's `InputError`).
    public var description: String {
        InputLocation.describe(file: file, line: line, column: column, field: field, message: message)
    }
}
