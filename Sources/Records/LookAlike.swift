import Primitives
import Foundation

/// Identifiers that look like a requested one but are not it.
///
/// Why: subject identifiers are compared with ASCII case folding only. Unicode case
/// mapping and normalization would make `\u{212A}ate@…` (KELVIN SIGN), `ｋａｔｅ@…`
/// (fullwidth) or `ſam@…` (long s) equal to `kate@…` / `sam@…` — and a request for one
/// person would resolve another person's account. Such a record identifier is therefore
/// never a match; but a reviewer should know it exists (a request may have been typed
/// with the wrong characters, or someone registered a look-alike), so the plan counts,
/// per subject, the records and accounts whose identifier equals the subject's only
/// under this key.
///
/// The key: NFKC, then Unicode case, diacritic and width folding, then NFKC again, then
/// the kind's own normalization (email: trimmed, lower case; phone: digits). Computed
/// only for record values that miss the exact comparison and are not ASCII (or, when a
/// subject is written with non-ASCII characters, for every missing value), so the
/// common path pays one dictionary lookup at most.
public enum LookAlike {
    /// The look-alike key of an identifier value, or nil for kinds compared as addresses
    /// or exactly (IP addresses, account ids) and for values that are not of `kind`.
    public static func key(_ bytes: UnsafeRawBufferPointer, kind: IdentifierKind) -> [UInt8]? {
        guard kind == .email || kind == .phone else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        let folded = text.precomposedStringWithCompatibilityMapping
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .precomposedStringWithCompatibilityMapping
        var u = Array(folded.utf8)
        return u.withUnsafeMutableBytes { kind.normalizedBytes(UnsafeRawBufferPointer($0)) }
    }

    /// The key of `text`; see `key(_:kind:)`.
    public static func key(_ text: String, kind: IdentifierKind) -> [UInt8]? {
        var t = text
        return t.withUTF8 { key(UnsafeRawBufferPointer($0), kind: kind) }
    }

    /// Whether `bytes` (a record value) could fold to `key` (an ASCII subject's key): its
    /// ASCII letters and digits (and `@`, `.`, `+`, `-`, `_` for emails), lowercased, must
    /// appear in `key` in the same order. A necessary condition only, for skipping the
    /// Unicode folding; never decides a match.
    static func mayFold(_ bytes: UnsafeRawBufferPointer, to key: [UInt8], kind: IdentifierKind) -> Bool {
        var k = 0
        for b in bytes where b < 0x80 {
            let c = b &- 0x41 < 26 ? b | 0x20 : b
            let kept = kind == .phone ? (c &- 0x30 < 10 || c == UInt8(ascii: "+"))
                                      : (c &- 0x61 < 26 || c &- 0x30 < 10 || c == UInt8(ascii: "@") || c == UInt8(ascii: ".")
                                         || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: "_"))
            guard kept else { continue }
            while k < key.count, key[k] != c { k += 1 }
            guard k < key.count else { return false }
            k += 1
        }
        return true
    }
}
