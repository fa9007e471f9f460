import Primitives
import Foundation

/// Decoding of JSON string contents that the scanner already validated. New string values
/// (pseudonyms, masks, prefixes) are encoded by `JSONString.append` (Primitives), the one
/// escaper that documents use too.

/// The offset of the quote that closes the string whose contents start at `start`: the
/// first quote below `limit` not escaped by an odd run of backslashes (nil if none).
/// memchr finds candidates fast in long bodies.
func closingQuote(_ base: UnsafePointer<UInt8>, _ start: Int, _ limit: Int) -> Int? {
    var q = start
    while q < limit, let found = memchr(base + q, 0x22, limit - q) {
        let at = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
        var k = at - 1
        while k >= start && base[k] == UInt8(ascii: "\\") { k -= 1 }
        if (at - 1 - k) % 2 == 0 { return at }
        q = at + 1
    }
    return nil
}

/// Decodes the escaped contents `base[start..<end]` (between the quotes, already
/// validated by `JSONScanner`) into UTF-8 bytes in `out`.
func decodeString(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, into out: inout [UInt8]) {
    out.removeAll(keepingCapacity: true)
    var p = start
    while p < end {
        var q = p
        while q < end && base[q] != UInt8(ascii: "\\") { q += 1 }
        if q > p { out.append(contentsOf: UnsafeBufferPointer(start: base + p, count: q - p)) }
        p = q
        guard p < end else { break }
        let e = base[p + 1]
        switch e {
        case UInt8(ascii: "b"): out.append(0x08); p += 2
        case UInt8(ascii: "f"): out.append(0x0C); p += 2
        case UInt8(ascii: "n"): out.append(0x0A); p += 2
        case UInt8(ascii: "r"): out.append(0x0D); p += 2
        case UInt8(ascii: "t"): out.append(0x09); p += 2
        case UInt8(ascii: "u"):
            var u = hex4Unchecked(base, p + 2)
            p += 6
            if u >= 0xD800 && u <= 0xDBFF {
                let lo = hex4Unchecked(base, p + 2)
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
                p += 6
            }
            appendUTF8(u, to: &out)
        default: out.append(e); p += 2 // '"', '\\', '/'
        }
    }
}

@inline(__always)
private func hex4Unchecked(_ base: UnsafePointer<UInt8>, _ p: Int) -> UInt32 {
    var v: UInt32 = 0
    for i in 0..<4 { v = v << 4 | UInt32(hexValue(base[p + i]) ?? 0) }
    return v
}

/// Appends the UTF-8 encoding of scalar `u`.
func appendUTF8(_ u: UInt32, to out: inout [UInt8]) {
    switch u {
    case 0..<0x80: out.append(UInt8(u))
    case 0x80..<0x800:
        out.append(UInt8(0xC0 | (u >> 6))); out.append(UInt8(0x80 | (u & 0x3F)))
    case 0x800..<0x10000:
        out.append(UInt8(0xE0 | (u >> 12))); out.append(UInt8(0x80 | ((u >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (u & 0x3F)))
    default:
        out.append(UInt8(0xF0 | (u >> 18))); out.append(UInt8(0x80 | ((u >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((u >> 6) & 0x3F))); out.append(UInt8(0x80 | (u & 0x3F)))
    }
}
