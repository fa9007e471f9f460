import Primitives

/// The scanner's token readers: whitespace, literals, numbers, strings and their escapes,
/// eight bytes at a time where the grammar allows.
extension JSONScanner {

    @inline(__always)
    func skipWhitespace(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) throws(JSONScanError) -> Int {
        var p = start
        while true {
            guard p < end else { throw .needMore(p) }
            let c = base[p]
            if c > 0x20 { return p }
            switch c {
            case 0x20, 0x09, 0x0D: p += 1
            case 0x0A:
                if jsonLines { throw .invalid(p, "the line ends before the record does") }
                p += 1
            default: return p
            }
        }
    }

    func literal(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int, _ word: StaticString) throws(JSONScanError) {
        let w = word.utf8Start
        for i in 0..<word.utf8CodeUnitCount {
            guard p + i < end else { throw .needMore(p + i) }
            guard base[p + i] == w[i] else { throw .invalid(p, "invalid literal (expected true, false or null)") }
        }
    }

    func scanNumber(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) throws(JSONScanError) -> Int {
        var p = start
        @inline(__always) func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
        if base[p] == UInt8(ascii: "-") { p += 1 }
        guard p < end else { throw .needMore(p) }
        if base[p] == UInt8(ascii: "0") {
            p += 1
        } else if isDigit(base[p]) {
            p = JSONScanner.digitRun(base, p + 1, end)
        } else {
            throw .invalid(p, "invalid number")
        }
        guard p < end else { throw .needMore(p) }
        if base[p] == UInt8(ascii: ".") {
            p += 1
            guard p < end else { throw .needMore(p) }
            guard isDigit(base[p]) else { throw .invalid(p, "invalid number: digits must follow '.'") }
            p = JSONScanner.digitRun(base, p + 1, end)
            guard p < end else { throw .needMore(p) }
        }
        if base[p] | 0x20 == UInt8(ascii: "e") {
            p += 1
            guard p < end else { throw .needMore(p) }
            if base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-") { p += 1 }
            guard p < end else { throw .needMore(p) }
            guard isDigit(base[p]) else { throw .invalid(p, "invalid number: digits must follow the exponent") }
            while p < end && isDigit(base[p]) { p += 1 }
            guard p < end else { throw .needMore(p) }
        }
        return p
    }

    /// The offset of the first byte at or after `start` that is not an ASCII digit (or
    /// `end`), eight bytes a step.
    @inline(__always)
    static func digitRun(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var p = start
        let raw = UnsafeRawPointer(base)
        while p &+ 8 <= end {
            let flags = nonDigits(raw.loadUnaligned(fromByteOffset: p, as: UInt64.self))
            if flags != 0 { return p &+ (flags.trailingZeroBitCount >> 3) }
            p &+= 8
        }
        while p < end && base[p] &- 0x30 < 10 { p &+= 1 }
        return p
    }

    /// Flags (high bit per byte) the bytes of `w` that are not '0'…'9'. A byte above
    /// '9' sets its own high bit when 0x46 is added, a byte below '0' when 0x30 is
    /// subtracted; carries and borrows reach only bytes above a flagged one, so the
    /// lowest flag is exact.
    @inline(__always)
    static func nonDigits(_ w: UInt64) -> UInt64 {
        ((w &+ 0x4646_4646_4646_4646) | (w &- 0x3030_3030_3030_3030)) & 0x8080_8080_8080_8080
    }

    /// The offset of the first byte at or after `p` that is '"', '\\', a control
    /// character or non-ASCII (or `end`): the plain ASCII run every string starts with,
    /// sixteen bytes at a time. Inlined into the scan loop; anything else goes to `scanString`.
    @inline(__always)
    static func plainRun(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var p = start
        let raw = UnsafeRawPointer(base)
        // Sixteen bytes a step, the two halves combined without a branch: most values
        // and keys end within the first step, whatever their exact length, so the loop
        // exit is predictable.
        while p &+ 16 <= end {
            // Signed bytes: below 0x20 is a control character or (negative) non-ASCII.
            let v = raw.loadUnaligned(fromByteOffset: p, as: SIMD16<Int8>.self)
            let hit = (v .== SIMD16<Int8>(repeating: 0x22)) .| (v .== SIMD16<Int8>(repeating: 0x5C)) .| (v .< SIMD16<Int8>(repeating: 0x20))
            let flags = unsafeBitCast(SIMD16<Int8>(repeating: 0).replacing(with: -1, where: hit), to: SIMD2<UInt64>.self)
            let lo = flags[0], hi = flags[1]
            if lo | hi != 0 {
                // lo's first flag, or 64 + hi's when lo has none (loTZ == 64), without a branch.
                let loTZ = lo.trailingZeroBitCount
                let first = loTZ &+ (hi.trailingZeroBitCount & ((loTZ >> 6) &* 127))
                return p &+ (first >> 3)
            }
            p &+= 16
        }
        while p &+ 8 <= end {
            let flags = attention(raw.loadUnaligned(fromByteOffset: p, as: UInt64.self))
            if flags != 0 { return p &+ (flags.trailingZeroBitCount >> 3) }
            p &+= 8
        }
        while p < end {
            let c = base[p]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 || c >= 0x80 { return p }
            p &+= 1
        }
        return p
    }

    /// Scans string contents from `start` (inside the string) to the closing quote,
    /// handling escapes and multi-byte UTF-8; returns the offset of the closing quote and
    /// whether escapes occur.
    @inline(never)
    func scanString(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) throws(JSONScanError) -> (Int, Bool) {
        var p = start
        var escaped = false
        let raw = UnsafeRawPointer(base)
        while true {
            // Eight bytes at a time until one needs a look: '"', '\\', < 0x20 or ≥ 0x80.
            while p + 8 <= end {
                let w = raw.loadUnaligned(fromByteOffset: p, as: UInt64.self)
                let flags = JSONScanner.attention(w)
                if flags != 0 {
                    p += flags.trailingZeroBitCount >> 3
                    break
                }
                p += 8
            }
            guard p < end else { throw .needMore(p) }
            let c = base[p]
            if c == UInt8(ascii: "\"") { return (p, escaped) }
            if c == UInt8(ascii: "\\") {
                escaped = true
                p = try scanEscape(base, p, end)
            } else if c < 0x20 {
                throw .invalid(p, "control character in a string (must be escaped)")
            } else if c >= 0x80 {
                switch UTF8Validation.checkSequence(base, p, end) {
                case .valid(let n): p += n
                case .invalid: throw .invalid(p, "invalid UTF-8 in a string")
                case .needMore: throw .needMore(p)
                }
            } else {
                p += 1
            }
        }
    }

    /// Flags (high bit per byte) the bytes of `w` that are '"', '\\', below 0x20 or
    /// at/above 0x80. False positives are possible only above a true one, so the lowest
    /// flag is exact.
    @inline(__always)
    static func attention(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let q = w ^ (ones &* 0x22)
        let b = w ^ (ones &* 0x5C)
        let hasQuote = (q &- ones) & ~q
        let hasBackslash = (b &- ones) & ~b
        let hasControl = (w &- ones &* 0x20) & ~w
        return (hasQuote | hasBackslash | hasControl | w) & highs
    }

    /// Checks the escape at `p` (a backslash); returns the offset after it.
    func scanEscape(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int) throws(JSONScanError) -> Int {
        guard p + 1 < end else { throw .needMore(p + 1) }
        switch base[p + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return p + 2
        case UInt8(ascii: "u"):
            let u = try hex4(base, p + 2, end)
            if u >= 0xDC00 && u <= 0xDFFF { throw .invalid(p, "unpaired surrogate in a \\u escape") }
            if u >= 0xD800 && u <= 0xDBFF {
                guard p + 7 < end else { throw .needMore(p + 6) }
                guard base[p + 6] == UInt8(ascii: "\\"), base[p + 7] == UInt8(ascii: "u") else {
                    throw .invalid(p, "unpaired surrogate in a \\u escape")
                }
                let lo = try hex4(base, p + 8, end)
                guard lo >= 0xDC00 && lo <= 0xDFFF else { throw .invalid(p, "unpaired surrogate in a \\u escape") }
                return p + 12
            }
            return p + 6
        default:
            throw .invalid(p, "invalid escape in a string")
        }
    }

    func hex4(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int) throws(JSONScanError) -> UInt32 {
        var v: UInt32 = 0
        for i in 0..<4 {
            guard p + i < end else { throw .needMore(p + i) }
            guard let d = hexValue(base[p + i]) else { throw .invalid(p + i, "invalid \\u escape (needs four hex digits)") }
            v = v << 4 | UInt32(d)
        }
        return v
    }
}


@inline(__always)
func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - 48
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - 87
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - 55
    default: return nil
    }
}

@inline(__always)
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    while i < n { if a[i] != b[i] { return false }; i += 1 }
    return true
}
