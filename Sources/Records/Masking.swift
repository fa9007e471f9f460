import Primitives
/// The `mask` action: a value reduced to its shape.
///
/// Exactly: every ASCII letter and digit becomes `*`, and so does every non-ASCII
/// character (in practice letters of other scripts); all other ASCII characters —
/// spaces, punctuation, `+`, `-`, `(`, `)`, `.` — stay, so the length and layout remain
/// visible. An email address (one `@` with text on both sides, no spaces) keeps its `@`
/// and domain verbatim and only the local part is masked:
/// `John.Doe@example.com` → `****.***@example.com`, `+1 (555) 010-9999` →
/// `+* (***) ***-****`. Masked values are always written as JSON strings (numbers and
/// booleans included; `null` stays `null`).
public enum Masking {
    /// Masks decoded UTF-8 text.
    public static func mask(_ value: UnsafeRawBufferPointer) -> [UInt8] {
        let b = value.bindMemory(to: UInt8.self)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var stop = b.count
        if looksLikeEmail(value), let at = b.lastIndex(of: UInt8(ascii: "@")) { stop = at }
        var i = 0
        while i < stop {
            let c = b[i]
            if c >= 0x80 {
                out.append(UInt8(ascii: "*"))
                i += 1
                while i < stop && b[i] & 0xC0 == 0x80 { i += 1 }
                continue
            }
            let isAlnum = (c &- 0x30 < 10) || ((c | 0x20) &- 0x61 < 26)
            out.append(isAlnum ? UInt8(ascii: "*") : c)
            i += 1
        }
        if stop < b.count { out.append(contentsOf: b[stop...]) }
        return out
    }

    /// Masks a string.
    public static func mask(_ value: String) -> String {
        var v = value
        return String(decoding: v.withUTF8 { mask(UnsafeRawBufferPointer($0)) }, as: UTF8.self)
    }

    /// Whether decoded text looks like an email address: exactly one `@`, text on both
    /// sides, a dot in the domain, no whitespace or control characters.
    public static func looksLikeEmail(_ value: UnsafeRawBufferPointer) -> Bool {
        var at = -1
        var dotAfterAt = false
        for (i, c) in value.enumerated() {
            if c <= 0x20 { return false }
            if c == UInt8(ascii: "@") {
                if at >= 0 { return false }
                at = i
            } else if c == UInt8(ascii: "."), at >= 0, i > at + 1 {
                dotAfterAt = true
            }
        }
        return at > 0 && at < value.count - 1 && dotAfterAt && value[value.count - 1] != UInt8(ascii: ".")
    }
}
