import Primitives
import Sodium

/// Keyed, deterministic pseudonyms for the `pseudonymize` action.
///
/// A pseudonym is `"pn:"` followed by the lowercase hex of the first 12 bytes of
/// HMAC-SHA-256(key, normalized value). The normalized value is the decoded text, with
/// ASCII letters lowercased when it looks like an email address (so `Bob@Example.com` and
/// `bob@example.com` get the same pseudonym). Only ASCII is folded, as in subject
/// matching: a look-alike written with KELVIN SIGN is another correspondent. Under one key (one case) a value always
/// gets the same pseudonym, so the authority can correlate records; under another key
/// the pseudonyms are unrelated, so cases cannot be joined.
public struct Pseudonymizer: Sendable {
    private let mac: KeyedHMACSHA256

    /// A pseudonymizer under `key` (derived per case by the caller; never written anywhere).
    public init(key: SecretBytes) { mac = KeyedHMACSHA256(key: key) }

    /// The pseudonym of `value` (decoded UTF-8 text), without quotes.
    public func pseudonym(of value: UnsafeRawBufferPointer) -> String {
        String(decoding: pseudonymBytes(of: value), as: UTF8.self)
    }

    /// The pseudonym of `value`.
    public func pseudonym(of value: String) -> String {
        var v = value
        return v.withUTF8 { pseudonym(of: UnsafeRawBufferPointer($0)) }
    }

    /// The pseudonym as ASCII bytes.
    func pseudonymBytes(of value: UnsafeRawBufferPointer) -> [UInt8] {
        var tag = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))     // 32 bytes on the stack
        withUnsafeMutableBytes(of: &tag) { out in
            if Masking.looksLikeEmail(value) {
                var lowered = value.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
                lowered.withUnsafeBytes { mac.authenticate($0, into: out) }
                Memory.wipe(&lowered)
            } else {
                mac.authenticate(value, into: out)
            }
        }
        let digits: StaticString = "0123456789abcdef"
        var out: [UInt8] = [UInt8(ascii: "p"), UInt8(ascii: "n"), UInt8(ascii: ":")]
        out.reserveCapacity(27)
        withUnsafeBytes(of: &tag) { m in
            for b in m.prefix(12) {
                out.append(digits.utf8Start[Int(b >> 4)]); out.append(digits.utf8Start[Int(b & 15)])
            }
        }
        withUnsafeMutableBytes(of: &tag) { Memory.wipe($0) }
        return out
    }
}
