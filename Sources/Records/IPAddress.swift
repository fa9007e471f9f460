import Primitives
/// An IPv4 or IPv6 address parsed from text, compared as an address rather than as text
/// (`2001:db8::1` equals `2001:0db8:0:0:0:0:0:1`).
///
/// IPv4 addresses are held as IPv4-mapped IPv6 (`::ffff:a.b.c.d`), so an IPv4 address
/// and its mapped IPv6 form are the same address. Accepted text: dotted-quad IPv4 with
/// decimal parts 0…255 and no leading zeros (a leading zero is ambiguous — octal in some
/// tools); IPv6 per RFC 4291 (hex groups, one `::`, an IPv4 tail). Not accepted: zone
/// ids (`%eth0`), brackets, prefixes (`/64`), surrounding spaces.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// The 128 address bits, high half.
    public var high: UInt64
    /// The 128 address bits, low half.
    public var low: UInt64

    /// Whether this is an IPv4 address (or an IPv4-mapped IPv6 address).
    public var isIPv4: Bool { high == 0 && low >> 32 == 0xFFFF }

    /// Builds an address from its 128 bits.
    public init(high: UInt64, low: UInt64) { self.high = high; self.low = low }

    /// Parses `text`; nil when it is not an IP address.
    public init?(_ text: String) {
        var t = text
        guard let a = t.withUTF8({ IPAddress(bytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = a
    }

    /// Parses UTF-8 `bytes`; nil when they are not an IP address.
    public init?(bytes: UnsafeRawBufferPointer) {
        let b = bytes.bindMemory(to: UInt8.self)
        guard !b.isEmpty else { return nil }
        if let v4 = IPAddress.parseIPv4(b, 0, b.count) {
            self.init(high: 0, low: 0xFFFF_0000_0000 | UInt64(v4))
            return
        }
        guard let (h, l) = IPAddress.parseIPv6(b) else { return nil }
        self.init(high: h, low: l)
    }

    static func parseIPv4(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt32? {
        var value: UInt32 = 0
        var parts = 0
        var p = start
        while parts < 4 {
            guard p < end else { return nil }
            let s = p
            var part: UInt32 = 0
            while p < end, b[p] &- 0x30 < 10, p - s < 3 {
                part = part * 10 + UInt32(b[p] - 0x30)
                p += 1
            }
            guard p > s, part <= 255, !(p - s > 1 && b[s] == 0x30) else { return nil }
            value = value << 8 | part
            parts += 1
            if parts < 4 {
                guard p < end, b[p] == UInt8(ascii: ".") else { return nil }
                p += 1
            }
        }
        return p == end ? value : nil
    }

    static func parseIPv6(_ b: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        var groups = [UInt16](repeating: 0, count: 8)
        var n = 0
        var gap = -1
        var p = 0
        let end = b.count
        if end >= 2 && b[0] == UInt8(ascii: ":") && b[1] == UInt8(ascii: ":") {
            gap = 0
            p = 2
            if p == end { return (0, 0) }
        } else if end >= 1 && b[0] == UInt8(ascii: ":") {
            return nil
        }
        while p < end {
            guard n < 8 else { return nil }
            // An IPv4 tail?
            var q = p
            while q < end && b[q] != UInt8(ascii: ":") && b[q] != UInt8(ascii: ".") { q += 1 }
            if q < end && b[q] == UInt8(ascii: ".") {
                guard n <= 6, let v4 = parseIPv4(b, p, end) else { return nil }
                groups[n] = UInt16(v4 >> 16); groups[n + 1] = UInt16(v4 & 0xFFFF)
                n += 2
                p = end
                break
            }
            var v: UInt16 = 0
            let s = p
            while p < end, p - s < 4, let d = hexValue(b[p]) { v = v << 4 | UInt16(d); p += 1 }
            guard p > s else { return nil }
            groups[n] = v
            n += 1
            if p == end { break }
            guard b[p] == UInt8(ascii: ":") else { return nil }
            p += 1
            if p < end && b[p] == UInt8(ascii: ":") {
                guard gap < 0 else { return nil }
                gap = n
                p += 1
                if p == end { break }
            } else if p == end {
                return nil
            }
        }
        if gap >= 0 {
            guard n < 8 else { return nil }
            let tail = Array(groups[gap..<n])
            for i in gap..<8 { groups[i] = 0 }
            for (i, g) in tail.enumerated() { groups[8 - tail.count + i] = g }
        } else {
            guard n == 8 else { return nil }
        }
        var h: UInt64 = 0, l: UInt64 = 0
        for i in 0..<4 { h = h << 16 | UInt64(groups[i]) }
        for i in 4..<8 { l = l << 16 | UInt64(groups[i]) }
        return (h, l)
    }

    /// The eight 16-bit groups.
    var groups: [UInt16] {
        (0..<4).map { UInt16(truncatingIfNeeded: high >> UInt64(48 - 16 * $0)) }
            + (0..<4).map { UInt16(truncatingIfNeeded: low >> UInt64(48 - 16 * $0)) }
    }

    /// Canonical text: dotted quad for IPv4, RFC 5952 for IPv6 (lowercase, no leading
    /// zeros, the longest run of two or more zero groups as `::`).
    public var description: String {
        if isIPv4 {
            let v = UInt32(truncatingIfNeeded: low)
            return "\(v >> 24).\((v >> 16) & 255).\((v >> 8) & 255).\(v & 255)"
        }
        return IPAddress.formatIPv6(groups)
    }

    static func formatIPv6(_ g: [UInt16]) -> String {
        var bestStart = -1, bestLen = 0
        var i = 0
        while i < 8 {
            if g[i] == 0 {
                var j = i
                while j < 8 && g[j] == 0 { j += 1 }
                if j - i > bestLen && j - i >= 2 { bestStart = i; bestLen = j - i }
                i = j
            } else {
                i += 1
            }
        }
        func hex(_ range: Range<Int>) -> String { range.map { String(g[$0], radix: 16) }.joined(separator: ":") }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLen)..<8)
    }

    /// The network the address belongs to, as the `ip_prefix` action discloses it:
    /// `a.b.c.0/24` for IPv4, the /48 in RFC 5952 form (`2001:db8:1::/48`) for IPv6.
    public var prefixText: String {
        if isIPv4 {
            let v = UInt32(truncatingIfNeeded: low)
            return "\(v >> 24).\((v >> 16) & 255).\((v >> 8) & 255).0/24"
        }
        var g = groups
        for i in 3..<8 { g[i] = 0 }
        return IPAddress.formatIPv6(g) + "/48"
    }
}
