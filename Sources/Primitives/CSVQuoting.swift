/// The one CSV field quoter of the package (RFC 4180): the record writer's CSV output and
/// the transparency report's `--csv` use it, so they quote alike.
///
/// A field is written as is unless it holds a comma, a double quote, CR or LF; then it is
/// enclosed in double quotes with inner quotes doubled. It works on bytes, so a CR LF pair
/// is seen as the two bytes it is (a `Character`-based check would see one grapheme and
/// miss both).
public enum CSVQuoting {
    /// Appends `value` to `out` as one CSV field, quoted only when it must be.
    @inlinable
    public static func append<C: Collection>(_ value: C, to out: inout [UInt8]) where C.Element == UInt8 {
        let needsQuotes = value.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else { out.append(contentsOf: value); return }
        out.append(UInt8(ascii: "\""))
        for c in value {
            out.append(c)
            if c == UInt8(ascii: "\"") { out.append(c) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `text` as one CSV field (same rule as `append`).
    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        append(text.utf8, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
