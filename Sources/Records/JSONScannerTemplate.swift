import Primitives
/// The literal layout of the last flat record a `JSONScanner` accepted: the bytes between
/// its top-level values (braces, keys, colons, commas and whitespace).
///
/// Records of a dataset nearly always repeat the layout of the one before with other
/// values. A record whose bytes equal the template's literal segments, with one valid
/// scalar value (string, number, `true`, `false` or `null`) between each pair, is a valid
/// record with the same keys in the same order: its keys are the template's keys byte for
/// byte, which the full scan found free of duplicates and which match the same target
/// paths. Such a record is checked with a few word compares plus the value scans instead
/// of token by token. Anything else — another layout, an object or array value, a
/// malformed value, a buffer that ends early — is scanned in full, which alone reports
/// errors.
struct RecordTemplate {
    /// The literal segment before a value.
    struct Entry {
        /// The segment's first sixteen bytes (most segments are a key with its quotes,
        /// colon and comma, and fit).
        var prefix: WordPrefix
        /// Where the segment is in `bytes`.
        var offset: Int
        /// How many bytes it has.
        var length: Int
        /// The targets the value after the segment is captured for.
        var capMask: UInt64
    }

    /// Most top-level values a template holds.
    static let maxValues = 32
    /// Most literal bytes a template holds.
    static let maxBytes = 1024

    /// `count + 1` segments; value `i` follows segment `i`.
    var entries = UnsafeMutablePointer<Entry>.allocate(capacity: RecordTemplate.maxValues + 1)
    /// The segments' bytes, with eight readable bytes past the last one for word loads.
    var bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: RecordTemplate.maxBytes + 8)
    /// Values in the template; 0 when there is none.
    var count = 0
    /// Numbers the templates built by this scanner (1, 2, …), so that users of a served
    /// record's layout (the record writer) know when it changed.
    var generation = 0
    /// The generation that served the last record scanned, 0 if it was scanned in full.
    var served = 0
    /// Records scanned with the template since it was built.
    var hits = 0
    /// Records in a row that did not fit it.
    var misses = 0
    /// Full scans to wait before building another template.
    var skip = 0
    /// The wait after a template that served no record (doubling, so data whose records
    /// all differ pays for a build only now and then).
    var backoff = 0

    init() {
        bytes.initialize(repeating: 0, count: RecordTemplate.maxBytes + 8)
    }

    /// After a template that served nothing, or a record that gave none: doubles the
    /// number of full scans before the next build (at most 255).
    mutating func waitLonger() {
        backoff = min(backoff &* 2 &+ 1, 255)
        skip = backoff
    }

    /// Frees the buffers (the scanner's deinit).
    func release() {
        entries.deallocate()
        bytes.deallocate()
    }
}

/// The layout of a record the scanner served from its template: value `i` starts
/// `segmentLength(i)` bytes after the end of value `i - 1` (or the record's start), and
/// every record with the same `generation` has the same keys in the same order.
struct RecordLayout {
    let generation: Int
    let count: Int
    private let entries: UnsafePointer<RecordTemplate.Entry>

    init(_ t: RecordTemplate) {
        generation = t.generation
        count = t.count
        entries = UnsafePointer(t.entries)
    }

    /// Bytes of the literal segment before value `i` (`i == count`: the closing one).
    @inline(__always)
    func segmentLength(_ i: Int) -> Int { entries[i].length }
}

extension JSONScanner {
    /// The layout of the last record scanned, when the template served it (valid until
    /// the next scan).
    var servedLayout: RecordLayout? {
        template.pointee.served == 0 ? nil : RecordLayout(template.pointee)
    }

    /// Scans the record at `start` against the template; returns the offset past its
    /// closing brace with the captures reported, or -1 when the record does not fit
    /// (then nothing is decided and the caller scans it in full).
    @inline(never)
    func scanTemplated(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        let t = template.pointee
        let store = self.store
        let raw = UnsafeRawPointer(base)
        var p = start
        var e = t.entries
        let last = e + t.count
        while true {
            // The segment: two masked word compares when sixteen bytes can be read.
            if p &+ 16 <= end {
                guard e.pointee.prefix.matches(raw, at: p) else { return -1 }
                if e.pointee.length > 16 {
                    guard JSONScanner.matchLiteral(base, p &+ 16, end, t.bytes + (e.pointee.offset &+ 16), e.pointee.length &- 16) else {
                        return -1
                    }
                }
            } else {
                guard JSONScanner.matchLiteral(base, p, end, t.bytes + e.pointee.offset, e.pointee.length) else { return -1 }
            }
            p &+= e.pointee.length
            if e == last { return p }
            guard p < end else { return -1 }
            let c = base[p]
            let capMask = e.pointee.capMask
            if c == UInt8(ascii: "\"") {
                var q = JSONScanner.plainRun(base, p &+ 1, end)
                var esc = false
                if q >= end || base[q] != UInt8(ascii: "\"") {
                    guard let r = try? scanString(base, q, end) else { return -1 }
                    (q, esc) = r
                }
                if capMask != 0 { JSONScanner.capture(store, capMask, .string, p &+ 1, q, esc) }
                p = q &+ 1
            } else if c == UInt8(ascii: "-") || c &- 0x30 < 10 {
                // A plain integer inline; a sign, leading zero, fraction or exponent
                // through the full number grammar.
                var q = c &- 0x31 < 9 ? JSONScanner.digitRun(base, p &+ 1, end) : p
                if q == p || q >= end || base[q] == UInt8(ascii: ".") || base[q] | 0x20 == UInt8(ascii: "e") {
                    guard let r = try? scanNumber(base, p, end) else { return -1 }
                    q = r
                }
                if capMask != 0 { JSONScanner.capture(store, capMask, .number, p, q, false) }
                p = q
            } else {
                let kind: JSONKind
                let word: StaticString
                switch c {
                case UInt8(ascii: "t"): (kind, word) = (.trueLiteral, "true")
                case UInt8(ascii: "f"): (kind, word) = (.falseLiteral, "false")
                case UInt8(ascii: "n"): (kind, word) = (.null, "null")
                default: return -1
                }
                guard (try? literal(base, p, end, word)) != nil else { return -1 }
                let n = word.utf8CodeUnitCount
                if capMask != 0 { JSONScanner.capture(store, capMask, kind, p, p &+ n, false) }
                p &+= n
            }
            e += 1
        }
    }

    /// Whether `base[p..<p+n]` equals `literal[0..<n]`, a word at a time; reads nothing at
    /// or past `end` (`literal` must have eight readable bytes past `n`).
    @inline(__always)
    static func matchLiteral(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int, _ literal: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let a = UnsafeRawPointer(base + p)
        let b = UnsafeRawPointer(literal)
        guard n <= end &- p else { return false }
        if end &- p < 8 { return memcmpBytes(base + p, literal, n) }
        if n <= 8 {
            let mask: UInt64 = n == 8 ? .max : (UInt64(1) << UInt64(8 &* n)) &- 1
            return (a.loadUnaligned(as: UInt64.self) ^ b.loadUnaligned(as: UInt64.self)) & mask == 0
        }
        var i = 0
        while i &+ 8 < n {
            guard a.loadUnaligned(fromByteOffset: i, as: UInt64.self) == b.loadUnaligned(fromByteOffset: i, as: UInt64.self) else {
                return false
            }
            i &+= 8
        }
        return a.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
    }

    /// After a full scan accepted `base[start..<recordEnd]`: keeps the template through a
    /// single odd record, and otherwise builds a new one from this record (waiting longer
    /// after each template that served no record).
    func afterFullScan(_ base: UnsafePointer<UInt8>, _ start: Int, _ recordEnd: Int) {
        let t = template
        if t.pointee.count > 0 {
            if t.pointee.misses < 2 { return }
            t.pointee.count = 0
            if t.pointee.hits > 0 { t.pointee.backoff = 0 } else { t.pointee.waitLonger() }
        }
        if t.pointee.skip > 0 {
            t.pointee.skip &-= 1
            return
        }
        buildTemplate(base, start, recordEnd)
        t.pointee.hits = 0
        t.pointee.misses = 0
        if t.pointee.count > 0 { t.pointee.generation &+= 1 } else { t.pointee.waitLonger() }
    }

    /// Builds the template from a record the full scan accepted (so every token is known
    /// to be well formed), with the captures of that scan; leaves none when the record
    /// nests objects or arrays, or is over the size limits.
    private func buildTemplate(_ base: UnsafePointer<UInt8>, _ start: Int, _ recordEnd: Int) {
        let t = template
        t.pointee.count = 0
        var p = start &+ 1
        var segmentStart = start
        var used = 0
        var values = 0
        @inline(__always) func skipSpace() {
            while p < recordEnd, base[p] == 0x20 || base[p] == 0x09 || base[p] == 0x0D || base[p] == 0x0A { p &+= 1 }
        }
        /// The offset of the closing quote of the string whose contents start at `from`.
        func stringEnd(_ from: Int) -> Int? {
            let q = JSONScanner.plainRun(base, from, recordEnd)
            if q < recordEnd && base[q] == UInt8(ascii: "\"") { return q }
            return (try? scanString(base, q, recordEnd))?.0
        }
        /// Adds the segment up to `valueStart`, with the targets captured at `captureStart`.
        func addSegment(upTo valueStart: Int, captureStart: Int, closing: Bool = false) -> Bool {
            let n = valueStart &- segmentStart
            guard values < RecordTemplate.maxValues || (closing && values == RecordTemplate.maxValues),
                  used &+ n <= RecordTemplate.maxBytes else { return false }
            (t.pointee.bytes + used).update(from: base + segmentStart, count: n)
            var mask: UInt64 = 0
            for c in captures where c.start == captureStart { mask |= 1 << UInt64(c.target) }
            t.pointee.entries[values] = RecordTemplate.Entry(prefix: WordPrefix(base, segmentStart, length: n),
                                                             offset: used, length: n, capMask: mask)
            used &+= n
            return true
        }
        skipSpace()
        guard p < recordEnd, base[p] == UInt8(ascii: "\"") else { return }   // `{}` is not worth a template
        while true {
            // Key, colon, value.
            guard let keyEnd = stringEnd(p &+ 1) else { return }
            p = keyEnd &+ 1
            skipSpace()
            p &+= 1   // ':'
            skipSpace()
            guard p < recordEnd else { return }
            let valueStart = p
            var captureStart = p
            switch base[p] {
            case UInt8(ascii: "\""):
                guard let q = stringEnd(p &+ 1) else { return }
                captureStart = p &+ 1
                p = q &+ 1
            case UInt8(ascii: "t"), UInt8(ascii: "n"): p &+= 4
            case UInt8(ascii: "f"): p &+= 5
            case UInt8(ascii: "{"), UInt8(ascii: "["): return
            default:
                guard let q = try? scanNumber(base, p, recordEnd) else { return }
                p = q
            }
            guard addSegment(upTo: valueStart, captureStart: captureStart) else { return }
            values &+= 1
            segmentStart = p
            skipSpace()
            guard p < recordEnd else { return }
            if base[p] == UInt8(ascii: ",") {
                p &+= 1
                skipSpace()
                continue
            }
            // '}': the closing segment runs to the end of the record.
            guard addSegment(upTo: recordEnd, captureStart: -1, closing: true) else { return }
            t.pointee.count = values
            return
        }
    }
}
