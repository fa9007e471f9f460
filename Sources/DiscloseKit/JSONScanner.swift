/// The kinds of JSON value the scanner reports.
enum JSONKind: UInt8 {
    case string, number, trueLiteral, falseLiteral, null, object, array
}

/// One value found at a target path. For strings `start..<end` is the content between
/// the quotes (still escaped when `escaped`); for other kinds it is the value's bytes
/// (for containers only `start` is meaningful).
struct JSONCapture {
    var target: Int
    var kind: JSONKind
    var start: Int
    var end: Int
    var escaped: Bool
}

/// Why a scan stopped: malformed input at `offset`, or (when `truncated`) the buffer
/// ended before the record did, so the caller must supply more bytes or report a
/// truncated file.
struct JSONScanError: Error {
    var offset: Int
    var message: String
    var truncated: Bool

    static func invalid(_ offset: Int, _ message: String) -> JSONScanError {
        JSONScanError(offset: offset, message: message, truncated: false)
    }
    static func needMore(_ offset: Int) -> JSONScanError {
        JSONScanError(offset: offset, message: "the input ends inside a record", truncated: true)
    }
}

/// One step of a target path, with the key as decoded UTF-8 bytes.
enum JSONTargetComponent: Equatable {
    case key([UInt8])
    case each

    /// Converts field-path steps.
    static func from(_ path: FieldPath) -> [JSONTargetComponent] {
        path.components.map {
            switch $0 {
            case .key(let k): return .key(Array(k.utf8))
            case .each: return .each
            }
        }
    }
}

/// A validating JSON scanner for one record (a top-level object).
///
/// It checks everything RFC 8259 requires — structure, string escapes (including paired
/// surrogates), control characters, number grammar, strict UTF-8 — plus two rules of
/// ours: no duplicate keys in one object (compared after decoding escapes) and at most
/// `maxDepth` levels of nesting. While checking it notes where the values at a few
/// target paths are, without building anything: this is the hot path that every record
/// of a dataset goes through, so it allocates nothing per record and scans string
/// contents eight bytes at a time.
final class JSONScanner {
    /// Deepest nesting accepted (objects and arrays).
    static let maxDepth = 512
    /// Objects with more keys than this switch from a linear duplicate check to a hash set.
    private static let linearKeyLimit = 24

    private struct Frame {
        var isObject: Bool
        var mask: UInt64
        var keyStart: Int
        var usesSet: Bool
        var capture: Int
    }

    private struct KeyEntry {
        var hash: UInt64
        var start: Int
        var end: Int
        var escaped: Bool
    }

    let targets: [[JSONTargetComponent]]
    /// In JSON Lines a line break may not occur inside a record.
    let jsonLines: Bool
    private let rootMask: UInt64
    /// Values found at target paths by the last scan.
    private(set) var captures: [JSONCapture] = []
    private var frames: [Frame] = []
    private var keys: [KeyEntry] = []
    private var keySets: [Set<UInt64>] = []
    private var scratchA: [UInt8] = []
    private var scratchB: [UInt8] = []

    /// A scanner that reports values at `targets` (at most 64 paths).
    init(targets: [FieldPath], jsonLines: Bool) {
        precondition(targets.count <= 64)
        self.targets = targets.map(JSONTargetComponent.from)
        self.jsonLines = jsonLines
        var m: UInt64 = 0
        for (i, t) in self.targets.enumerated() where !t.isEmpty { m |= 1 << UInt64(i) }
        rootMask = m
        frames.reserveCapacity(64)
        keys.reserveCapacity(256)
    }

    // MARK: - Scanning

    private enum State { case value, objectStart, key, arrayStart, after }

    /// Scans the object that starts at `start` and returns the offset just past its
    /// closing brace. Reads no byte at or beyond `end`.
    func scanObject(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) throws(JSONScanError) -> Int {
        captures.removeAll(keepingCapacity: true)
        var frames: [Frame] = []
        var keys: [KeyEntry] = []
        swap(&frames, &self.frames)
        swap(&keys, &self.keys)
        defer {
            frames.removeAll(keepingCapacity: true)
            keys.removeAll(keepingCapacity: true)
            swap(&frames, &self.frames)
            swap(&keys, &self.keys)
        }
        var p = start
        guard p < end else { throw .needMore(p) }
        guard base[p] == UInt8(ascii: "{") else { throw .invalid(p, "a record must be a JSON object") }
        frames.append(Frame(isObject: true, mask: rootMask, keyStart: 0, usesSet: false, capture: -1))
        p += 1
        var state = State.objectStart
        var capMask: UInt64 = 0
        var contMask: UInt64 = 0

        while true {
            switch state {
            case .value:
                p = try skipWhitespace(base, p, end)
                let c = base[p]
                switch c {
                case UInt8(ascii: "\""):
                    let (q, esc) = try scanString(base, p + 1, end)
                    if capMask != 0 { capture(capMask, .string, p + 1, q, esc) }
                    p = q + 1
                    state = .after
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard frames.count < JSONScanner.maxDepth else {
                        throw .invalid(p, "nesting deeper than \(JSONScanner.maxDepth) levels")
                    }
                    var capIndex = -1
                    if capMask != 0 {
                        capIndex = captures.count
                        capture(capMask, c == UInt8(ascii: "{") ? .object : .array, p, p, false)
                    }
                    let isObject = c == UInt8(ascii: "{")
                    frames.append(Frame(isObject: isObject, mask: contMask, keyStart: keys.count, usesSet: false, capture: capIndex))
                    p += 1
                    state = isObject ? .objectStart : .arrayStart
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    let q = try scanNumber(base, p, end)
                    if capMask != 0 { capture(capMask, .number, p, q, false) }
                    p = q
                    state = .after
                case UInt8(ascii: "t"):
                    try literal(base, p, end, "true")
                    if capMask != 0 { capture(capMask, .trueLiteral, p, p + 4, false) }
                    p += 4; state = .after
                case UInt8(ascii: "f"):
                    try literal(base, p, end, "false")
                    if capMask != 0 { capture(capMask, .falseLiteral, p, p + 5, false) }
                    p += 5; state = .after
                case UInt8(ascii: "n"):
                    try literal(base, p, end, "null")
                    if capMask != 0 { capture(capMask, .null, p, p + 4, false) }
                    p += 4; state = .after
                default:
                    throw .invalid(p, "expected a JSON value")
                }

            case .objectStart:
                p = try skipWhitespace(base, p, end)
                if base[p] == UInt8(ascii: "}") {
                    p += 1
                    popFrame(&frames, &keys, p)
                    state = .after
                } else {
                    state = .key
                }

            case .key:
                guard base[p] == UInt8(ascii: "\"") else { throw .invalid(p, "expected an object key in double quotes") }
                let ks = p + 1
                let (ke, hash, esc) = try scanKey(base, ks, end)
                let fi = frames.count - 1
                try checkDuplicate(base, &frames[fi], &keys, KeyEntry(hash: hash, start: ks, end: ke, escaped: esc), depth: fi)
                let fm = frames[fi].mask
                capMask = 0; contMask = 0
                if fm != 0 { matchKey(base, ks, ke, esc, mask: fm, depth: fi, &capMask, &contMask) }
                p = try skipWhitespace(base, ke + 1, end)
                guard base[p] == UInt8(ascii: ":") else { throw .invalid(p, "expected ':' after an object key") }
                p += 1
                state = .value

            case .arrayStart:
                p = try skipWhitespace(base, p, end)
                if base[p] == UInt8(ascii: "]") {
                    p += 1
                    popFrame(&frames, &keys, p)
                    state = .after
                } else {
                    elementMasks(frames[frames.count - 1].mask, depth: frames.count - 1, &capMask, &contMask)
                    state = .value
                }

            case .after:
                if frames.isEmpty { return p }
                p = try skipWhitespace(base, p, end)
                let c = base[p]
                let fi = frames.count - 1
                if c == UInt8(ascii: ",") {
                    p = try skipWhitespace(base, p + 1, end)
                    if frames[fi].isObject {
                        state = .key
                    } else {
                        elementMasks(frames[fi].mask, depth: fi, &capMask, &contMask)
                        state = .value
                    }
                } else if c == (frames[fi].isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    p += 1
                    popFrame(&frames, &keys, p)
                } else {
                    throw .invalid(p, frames[fi].isObject ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array")
                }
            }
        }
    }

    @inline(__always)
    private func popFrame(_ frames: inout [Frame], _ keys: inout [KeyEntry], _ endOffset: Int) {
        let f = frames.removeLast()
        if f.isObject {
            keys.removeSubrange(f.keyStart...)
            if f.usesSet { keySets[frames.count].removeAll(keepingCapacity: true) }
        }
        if f.capture >= 0 {
            var i = f.capture
            while i < captures.count && captures[i].start == captures[f.capture].start {
                captures[i].end = endOffset
                i += 1
            }
        }
    }

    @inline(__always)
    private func capture(_ mask: UInt64, _ kind: JSONKind, _ start: Int, _ end: Int, _ escaped: Bool) {
        var m = mask
        while m != 0 {
            let t = m.trailingZeroBitCount
            m &= m - 1
            captures.append(JSONCapture(target: t, kind: kind, start: start, end: end, escaped: escaped))
        }
    }

    private func elementMasks(_ mask: UInt64, depth: Int, _ capMask: inout UInt64, _ contMask: inout UInt64) {
        capMask = 0; contMask = 0
        var m = mask
        while m != 0 {
            let t = m.trailingZeroBitCount
            m &= m - 1
            let comps = targets[t]
            if comps[depth] == .each {
                if comps.count == depth + 1 { capMask |= 1 << UInt64(t) } else { contMask |= 1 << UInt64(t) }
            }
        }
    }

    private func matchKey(_ base: UnsafePointer<UInt8>, _ ks: Int, _ ke: Int, _ escaped: Bool, mask: UInt64, depth: Int,
                          _ capMask: inout UInt64, _ contMask: inout UInt64) {
        if escaped { decodeString(base, ks, ke, into: &scratchA) }
        var m = mask
        while m != 0 {
            let t = m.trailingZeroBitCount
            m &= m - 1
            let comps = targets[t]
            guard case .key(let want) = comps[depth] else { continue }
            let equal: Bool
            if escaped {
                equal = scratchA == want
            } else {
                equal = want.count == ke - ks && want.withUnsafeBufferPointer { w in
                    w.count == 0 || memcmpBytes(w.baseAddress!, base + ks, w.count)
                }
            }
            if equal {
                if comps.count == depth + 1 { capMask |= 1 << UInt64(t) } else { contMask |= 1 << UInt64(t) }
            }
        }
    }

    // MARK: - Duplicate keys

    private func checkDuplicate(_ base: UnsafePointer<UInt8>, _ frame: inout Frame, _ keys: inout [KeyEntry], _ entry: KeyEntry,
                                depth: Int) throws(JSONScanError) {
        let n = keys.count - frame.keyStart
        if !frame.usesSet && n < JSONScanner.linearKeyLimit {
            var i = frame.keyStart
            while i < keys.count {
                if keys[i].hash == entry.hash, sameKey(base, keys[i], entry) {
                    throw .invalid(entry.start - 1, "duplicate key in an object")
                }
                i += 1
            }
        } else {
            while keySets.count <= depth { keySets.append([]) }
            if !frame.usesSet {
                frame.usesSet = true
                for i in frame.keyStart..<keys.count { keySets[depth].insert(keys[i].hash) }
            }
            if !keySets[depth].insert(entry.hash).inserted {
                for i in frame.keyStart..<keys.count where keys[i].hash == entry.hash && sameKey(base, keys[i], entry) {
                    throw .invalid(entry.start - 1, "duplicate key in an object")
                }
            }
        }
        keys.append(entry)
    }

    private func sameKey(_ base: UnsafePointer<UInt8>, _ a: KeyEntry, _ b: KeyEntry) -> Bool {
        if !a.escaped && !b.escaped {
            return a.end - a.start == b.end - b.start && memcmpBytes(base + a.start, base + b.start, a.end - a.start)
        }
        decodeString(base, a.start, a.end, into: &scratchA)
        decodeString(base, b.start, b.end, into: &scratchB)
        return scratchA == scratchB
    }

    // MARK: - Tokens

    @inline(__always)
    private func skipWhitespace(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) throws(JSONScanError) -> Int {
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

    private func literal(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int, _ word: StaticString) throws(JSONScanError) {
        let w = word.utf8Start
        for i in 0..<word.utf8CodeUnitCount {
            guard p + i < end else { throw .needMore(p + i) }
            guard base[p + i] == w[i] else { throw .invalid(p, "invalid literal (expected true, false or null)") }
        }
    }

    private func scanNumber(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) throws(JSONScanError) -> Int {
        var p = start
        @inline(__always) func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
        if base[p] == UInt8(ascii: "-") { p += 1 }
        guard p < end else { throw .needMore(p) }
        if base[p] == UInt8(ascii: "0") {
            p += 1
        } else if isDigit(base[p]) {
            p += 1
            while p < end && isDigit(base[p]) { p += 1 }
        } else {
            throw .invalid(p, "invalid number")
        }
        guard p < end else { throw .needMore(p) }
        if base[p] == UInt8(ascii: ".") {
            p += 1
            guard p < end else { throw .needMore(p) }
            guard isDigit(base[p]) else { throw .invalid(p, "invalid number: digits must follow '.'") }
            while p < end && isDigit(base[p]) { p += 1 }
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

    /// Scans a string value's contents starting just after the opening quote; returns the
    /// offset of the closing quote and whether escapes occur.
    @inline(__always)
    private func scanString(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) throws(JSONScanError) -> (Int, Bool) {
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

    /// Scans a key's contents like `scanString` and also hashes the decoded key.
    @inline(__always)
    private func scanKey(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) throws(JSONScanError) -> (Int, UInt64, Bool) {
        var p = start
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var escaped = false
        while true {
            guard p < end else { throw .needMore(p) }
            let c = base[p]
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") {
                escaped = true
                p = try scanEscape(base, p, end)
            } else if c < 0x20 {
                throw .invalid(p, "control character in a key (must be escaped)")
            } else if c >= 0x80 {
                switch UTF8Validation.checkSequence(base, p, end) {
                case .valid(let n): p += n
                case .invalid: throw .invalid(p, "invalid UTF-8 in a key")
                case .needMore: throw .needMore(p)
                }
            } else {
                h = (h ^ UInt64(c)) &* 0x100_0000_01b3
                p += 1
            }
        }
        if escaped || !JSONScanner.isASCII(base, start, p) {
            if escaped { decodeString(base, start, p, into: &scratchA) } else {
                scratchA.removeAll(keepingCapacity: true)
                scratchA.append(contentsOf: UnsafeBufferPointer(start: base + start, count: p - start))
            }
            h = JSONScanner.hash(scratchA)
        }
        return (p, h, escaped)
    }

    private static func isASCII(_ base: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        var i = s
        while i < e { if base[i] >= 0x80 { return false }; i += 1 }
        return true
    }

    /// FNV-1a over decoded key bytes.
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in bytes { h = (h ^ UInt64(c)) &* 0x100_0000_01b3 }
        return h
    }

    /// Checks the escape at `p` (a backslash); returns the offset after it.
    private func scanEscape(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int) throws(JSONScanError) -> Int {
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

    private func hex4(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int) throws(JSONScanError) -> UInt32 {
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
