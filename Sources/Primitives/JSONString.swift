/// The one JSON string escaper of the package: the record writer's hot path (pseudonyms,
/// masks, prefixes) and every document Disclose writes (plans, manifests, reports, audit
/// entries, `--json` answers) quote strings with this rule, so the two cannot disagree.
///
/// The rule: RFC 8259's minimum — `"` and `\` escaped, every control byte 0x00–0x1F
/// escaped (`\n`, `\r`, `\t` by name, the others as `\u00xx` with lower-case hex) — plus
/// three characters RFC 8259 allows raw but that make a document unsafe to paste:
/// DEL (0x7F, invisible, and a terminal control byte) and U+2028 / U+2029 (line and
/// paragraph separators: they end a line in JavaScript before ES2019 and in many editors,
/// so a pasted value could split a line that a reader thinks is one). Everything else,
/// non-ASCII included, is copied as is (the output is UTF-8, not ASCII-escaped).
///
/// Values copied from records unchanged (disclosed fields) are not re-escaped: they are
/// already valid JSON as the scanner checked them, and their digests must stay theirs.
public enum JSONString {
    /// Appends `text` (valid UTF-8) to `out` as a quoted JSON string under the rule above.
    @inlinable
    public static func append<C: Collection>(_ text: C, to out: inout [UInt8]) where C.Element == UInt8 {
        // Fast path (pseudonyms, masks, prefixes are plain): nothing to escape, one copy.
        let plain = text.withContiguousStorageIfAvailable { buffer -> Bool in
            for c in buffer where c < 0x20 || c == 0x22 || c == 0x5C || c == 0x7F || c == 0xE2 { return false }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: buffer)
            out.append(UInt8(ascii: "\""))
            return true
        }
        if plain == true { return }
        out.append(UInt8(ascii: "\""))
        var i = text.startIndex
        while i != text.endIndex {
            let c = text[i]
            text.formIndex(after: &i)
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(c)
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0..<0x20, 0x7F: appendEscape(UInt16(c), to: &out)
            case 0xE2:
                // U+2028 / U+2029 are E2 80 A8 / E2 80 A9 in UTF-8.
                var j = i
                if j != text.endIndex, text[j] == 0x80 {
                    text.formIndex(after: &j)
                    if j != text.endIndex, text[j] == 0xA8 || text[j] == 0xA9 {
                        appendEscape(0x2000 | UInt16(text[j] - 0xA8 + 0x28), to: &out)
                        text.formIndex(after: &j)
                        i = j
                        continue
                    }
                }
                out.append(c)
            default: out.append(c)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `text` as a quoted JSON string (documents build `String`s; same rule as `append`).
    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        append(text.utf8, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `\uXXXX` for `unit` with lower-case hex digits.
    @inlinable
    static func appendEscape(_ unit: UInt16, to out: inout [UInt8]) {
        @inline(__always) func hex(_ v: UInt16) -> UInt8 { UInt8(v < 10 ? 0x30 + v : 0x57 + v) }
        out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "u"))
        out.append(hex(unit >> 12)); out.append(hex(unit >> 8 & 15)); out.append(hex(unit >> 4 & 15)); out.append(hex(unit & 15))
    }
}
