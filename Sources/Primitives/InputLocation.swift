/// How every input error names its place: `file:line:column: field 'x': message`. One
/// rendering for DiscloseKit's `InputError` and the HI1 module's `HI1Error`, which keep
/// separate types only so that the format module knows nothing of Disclose.
public enum InputLocation {
    /// `file:line:column: field 'x': message`, leaving out what is not known.
    public static func describe(file: String, line: Int?, column: Int?, field: String?, message: String) -> String {
        var s = file
        if let line { s += ":\(line)"; if let column { s += ":\(column)" } }
        s += ": "
        if let field { s += "field '\(field)': " }
        return s + message
    }
}
