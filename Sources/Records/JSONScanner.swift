import Primitives
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
    /// Objects with more keys than this switch from a linear duplicate check to a
    /// `MemberTable` (keyed hash).
    private static let linearKeyLimit = 24
    /// Most members one object may have: a record over it is malformed (refused with its
    /// line, like any malformed record), so that no single record can stall a scan.
    static let maxMembers = 65_536

    private struct Frame {
        var mask: UInt64
        var keyStart: Int
        var capture: Int
        var isObject: Bool
        var usesSet: Bool
    }

    struct KeyEntry {
        var hash: UInt64
        var start: Int
        var end: Int
        var escaped: Bool
    }

    let targets: [[JSONTargetComponent]]
    /// In JSON Lines a line break may not occur inside a record.
    let jsonLines: Bool
    private let rootMask: UInt64

    /// One step of a target path in flat storage (no reference counting on the hot path).
    private struct Step {
        var isEach: Bool
        var isLast: Bool
        var key: UnsafeMutablePointer<UInt8>?
        var length: Int
        /// `hashBytes` of the key, compared before the bytes.
        var hash: UInt64
    }

    /// Growable buffers, reached through a `let` pointer so that the scan loop pays
    /// neither exclusivity checks nor copy-on-write checks per token.
    struct Storage {
        var keys: UnsafeMutablePointer<KeyEntry>
        var keyCapacity: Int
        var captures: UnsafeMutablePointer<JSONCapture>
        var captureCapacity: Int
        var captureCount: Int
        /// Per depth: the keys of a big object (more than `linearKeyLimit` keys).
        var tables: [MemberTable] = []
        var scratchA: [UInt8] = []
        var scratchB: [UInt8] = []
        /// The top-level keys of the records seen so far, in order (see `ShapeKey`).
        var shape: UnsafeMutablePointer<ShapeKey>
        /// How many entries of `shape` are valid.
        var shapeCount: Int
    }

    /// One top-level key of the last record shape: records of a dataset nearly always
    /// repeat the keys of the one before in the same order, and a key equal byte for
    /// byte to the cached one at the same position, after an equal prefix, has the same
    /// duplicate-check outcome (none) and the same target matches. Only plain keys
    /// (no escapes) of at most 16 bytes are cached.
    struct ShapeKey {
        var length: Int
        var hash: UInt64
        var prefix: WordPrefix
        var capMask: UInt64
        var contMask: UInt64
    }
    /// Most top-level keys remembered in the shape.
    private static let shapeCapacity = 32

    private let frames: UnsafeMutablePointer<Frame>
    let store: UnsafeMutablePointer<Storage>
    /// The literal layout of the last flat record (see `RecordTemplate`).
    let template: UnsafeMutablePointer<RecordTemplate>
    private let steps: UnsafeMutablePointer<Step>
    private let stepStride: Int

    /// Values found at target paths by the last scan (valid until the next scan).
    var captures: UnsafeBufferPointer<JSONCapture> {
        UnsafeBufferPointer(start: store.pointee.captures, count: store.pointee.captureCount)
    }

    /// A scanner that reports values at `targets` (at most 64 paths).
    init(targets: [FieldPath], jsonLines: Bool) {
        precondition(targets.count <= 64)
        self.targets = targets.map(JSONTargetComponent.from)
        self.jsonLines = jsonLines
        var m: UInt64 = 0
        for (i, t) in self.targets.enumerated() where !t.isEmpty { m |= 1 << UInt64(i) }
        rootMask = m
        frames = .allocate(capacity: JSONScanner.maxDepth + 1)
        store = .allocate(capacity: 1)
        store.initialize(to: Storage(keys: .allocate(capacity: 256), keyCapacity: 256,
                                     captures: .allocate(capacity: 16), captureCapacity: 16, captureCount: 0,
                                     shape: .allocate(capacity: JSONScanner.shapeCapacity), shapeCount: 0))
        template = .allocate(capacity: 1)
        template.initialize(to: RecordTemplate())
        stepStride = max(1, self.targets.map(\.count).max() ?? 1)
        steps = .allocate(capacity: max(1, self.targets.count) * stepStride)
        for (t, comps) in self.targets.enumerated() {
            for (d, c) in comps.enumerated() {
                var step = Step(isEach: false, isLast: d == comps.count - 1, key: nil, length: 0, hash: 0)
                switch c {
                case .each: step.isEach = true
                case .key(let k):
                    let buf = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, k.count))
                    buf.initialize(from: k, count: k.count)
                    step.key = buf
                    step.length = k.count
                    step.hash = JSONScanner.hashBytes(buf, 0, k.count, k.count)
                }
                (steps + t * stepStride + d).initialize(to: step)
            }
        }
    }

    deinit {
        for (t, comps) in targets.enumerated() {
            for d in comps.indices { steps[t * stepStride + d].key?.deallocate() }
        }
        steps.deallocate()
        frames.deallocate()
        store.pointee.keys.deallocate()
        store.pointee.captures.deallocate()
        store.pointee.shape.deallocate()
        for t in store.pointee.tables { t.release() }
        store.deinitialize(count: 1)
        store.deallocate()
        template.pointee.release()
        template.deinitialize(count: 1)
        template.deallocate()
    }

    // MARK: - Scanning

    /// Scans the object that starts at `start` and returns the offset just past its
    /// closing brace. Reads no byte at or beyond `end`.
    func scanObject(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) throws(JSONScanError) -> Int {
        store.pointee.captureCount = 0
        template.pointee.served = 0
        if template.pointee.count > 0 {
            let r = scanTemplated(base, start, end)
            if r >= 0 {
                template.pointee.hits &+= 1
                template.pointee.misses = 0
                template.pointee.served = template.pointee.generation
                return r
            }
            store.pointee.captureCount = 0
            template.pointee.misses &+= 1
        }
        let r = try scanFull(base, from: start, to: end)
        afterFullScan(base, start, r)
        return r
    }

    /// The full scan: every rule checked token by token.
    @inline(never)
    private func scanFull(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) throws(JSONScanError) -> Int {
        let frames = self.frames
        let store = self.store
        var keys = store.pointee.keys
        var keyCap = store.pointee.keyCapacity
        defer { store.pointee.keys = keys; store.pointee.keyCapacity = keyCap }
        var depth = 0          // number of open frames
        var keyCount = 0       // entries in `keys`

        // A scan that stopped early (a record that needs more bytes) left its tables filled.
        if !store.pointee.tables.isEmpty {
            for i in store.pointee.tables.indices { store.pointee.tables[i].reset() }
        }
        var p = start
        guard p < end else { throw .needMore(p) }
        guard base[p] == UInt8(ascii: "{") else { throw .invalid(p, "a record must be a JSON object") }
        frames[0] = Frame(mask: rootMask, keyStart: 0, capture: -1, isObject: true, usesSet: false)
        depth = 1
        p += 1
        var capMask: UInt64 = 0
        var contMask: UInt64 = 0

        p = try skipWhitespace(base, p, end)
        if base[p] == UInt8(ascii: "}") { return p + 1 }
        var expectKey = true

        // Straight-line flow instead of a state switch: (key,) value, then the separators
        // and closers after it, then the next key or element. The full key scan is out of
        // line; a top-level key that repeats the record before's shape is checked here.
        values: while true {
            if expectKey {
                expectKey = false
                // A top-level key where the record before had the same one (see `ShapeKey`).
                let shape = store.pointee.shape
                // (`keyCount < shapeCount ≤ shapeCapacity` < the initial `keyCap`, so
                // the entry below needs no capacity check; offsets are far from overflow.)
                if depth == 1 && keyCount < store.pointee.shapeCount && p &+ 18 <= end && base[p] == UInt8(ascii: "\"") {
                    let k = shape[keyCount]
                    let raw = UnsafeRawPointer(base)
                    let ke = p &+ 1 &+ k.length
                    if k.prefix.matches(raw, at: p &+ 1) && base[ke] == UInt8(ascii: "\"") {
                        keys[keyCount] = KeyEntry(hash: k.hash, start: p &+ 1, end: ke, escaped: false)
                        keyCount &+= 1
                        capMask = k.capMask; contMask = k.contMask
                        frames[0].mask &= ~(capMask | contMask)
                        p = ke &+ 1
                        if p < end && base[p] == UInt8(ascii: ":") {
                            p &+= 1
                        } else {
                            p = try skipWhitespace(base, p, end)
                            guard base[p] == UInt8(ascii: ":") else { throw .invalid(p, "expected ':' after an object key") }
                            p += 1
                        }
                        continue values
                    }
                }
                p = try scanKey(base, p, end, frames, depth, &keys, &keyCount, &keyCap, &capMask, &contMask)
            }
            p = try skipWhitespace(base, p, end)
            let c = base[p]
            switch c {
            case UInt8(ascii: "\""):
                var q = JSONScanner.plainRun(base, p &+ 1, end)
                var esc = false
                if q >= end || base[q] != UInt8(ascii: "\"") { (q, esc) = try scanString(base, q, end) }
                if capMask != 0 { JSONScanner.capture(store, capMask, .string, p &+ 1, q, esc) }
                p = q &+ 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth < JSONScanner.maxDepth else {
                    throw .invalid(p, "nesting deeper than \(JSONScanner.maxDepth) levels")
                }
                let isObject = c == UInt8(ascii: "{")
                var capIndex = -1
                if capMask != 0 {
                    capIndex = store.pointee.captureCount
                    JSONScanner.capture(store, capMask, isObject ? .object : .array, p, p, false)
                }
                frames[depth] = Frame(mask: contMask, keyStart: keyCount, capture: capIndex, isObject: isObject, usesSet: false)
                depth += 1
                p = try skipWhitespace(base, p + 1, end)
                if isObject {
                    if base[p] != UInt8(ascii: "}") {
                        expectKey = true
                        continue values
                    }
                } else if base[p] != UInt8(ascii: "]") {
                    elementMasks(frames[depth - 1].mask, depth: depth - 1, &capMask, &contMask)
                    continue values
                }
                p += 1
                pop(frames, &depth, &keyCount, p)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let q = try scanNumber(base, p, end)
                if capMask != 0 { JSONScanner.capture(store, capMask, .number, p, q, false) }
                p = q
            case UInt8(ascii: "t"):
                try literal(base, p, end, "true")
                if capMask != 0 { JSONScanner.capture(store, capMask, .trueLiteral, p, p + 4, false) }
                p += 4
            case UInt8(ascii: "f"):
                try literal(base, p, end, "false")
                if capMask != 0 { JSONScanner.capture(store, capMask, .falseLiteral, p, p + 5, false) }
                p += 5
            case UInt8(ascii: "n"):
                try literal(base, p, end, "null")
                if capMask != 0 { JSONScanner.capture(store, capMask, .null, p, p + 4, false) }
                p += 4
            default:
                throw .invalid(p, "expected a JSON value")
            }
            // After a value: ',' then the next key or element, or closers.
            while true {
                if depth == 0 { return p }
                p = try skipWhitespace(base, p, end)
                let c = base[p]
                let fi = depth &- 1
                let isObject = frames[fi].isObject
                if c == UInt8(ascii: ",") {
                    p &+= 1
                    if isObject {
                        if !(p < end && base[p] == UInt8(ascii: "\"")) { p = try skipWhitespace(base, p, end) }
                        expectKey = true
                    } else {
                        elementMasks(frames[fi].mask, depth: fi, &capMask, &contMask)
                    }
                    continue values
                }
                guard c == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw .invalid(p, isObject ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array")
                }
                p += 1
                pop(frames, &depth, &keyCount, p)
            }
        }
    }

    /// Scans the key at `p` (which must be a quoted string) and the ':' after it, checks
    /// it against the object's earlier keys and the targets; returns the offset after ':'.
    @inline(never)
    private func scanKey(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ frames: UnsafeMutablePointer<Frame>,
                         _ depth: Int, _ keys: inout UnsafeMutablePointer<KeyEntry>, _ keyCount: inout Int, _ keyCap: inout Int,
                         _ capMask: inout UInt64, _ contMask: inout UInt64) throws(JSONScanError) -> Int {
        var p = start
        guard base[p] == UInt8(ascii: "\"") else { throw .invalid(p, "expected an object key in double quotes") }
        let ks = p + 1
        let fi = depth - 1
        var ke = JSONScanner.plainRun(base, ks, end)
        var esc = false
        if ke >= end || base[ke] != UInt8(ascii: "\"") { (ke, esc) = try scanString(base, ke, end) }
        let hash = esc ? escapedKeyHash(base, ks, ke) : JSONScanner.hashBytes(base, ks, ke, end)
        let entry = KeyEntry(hash: hash, start: ks, end: ke, escaped: esc)
        // Duplicate check: linear over this object's keys, a keyed table for big objects.
        let first = frames[fi].keyStart
        if !frames[fi].usesSet && keyCount - first < JSONScanner.linearKeyLimit {
            var i = first
            while i < keyCount {
                if keys[i].hash == hash && sameKey(base, keys[i], entry) {
                    throw .invalid(ks - 1, "duplicate key in an object")
                }
                i += 1
            }
        } else {
            guard keyCount - first < JSONScanner.maxMembers else {
                throw .invalid(ks - 1, "an object with more than \(JSONScanner.maxMembers) members")
            }
            try checkDuplicateInTable(base, &frames[fi], keys, keyCount, entry, depth: fi)
        }
        if keyCount == keyCap {
            let bigger = UnsafeMutablePointer<KeyEntry>.allocate(capacity: keyCap * 2)
            bigger.moveInitialize(from: keys, count: keyCount)
            keys.deallocate()
            keys = bigger
            keyCap *= 2
        }
        keys[keyCount] = entry
        keyCount += 1
        let fm = frames[fi].mask
        capMask = 0; contMask = 0
        if fm != 0 {
            matchKey(base, ks, ke, esc, hash, mask: fm, depth: fi, &capMask, &contMask)
            // A key occurs once per object (duplicates are rejected above), so a target
            // found here needs no more comparing in this object.
            frames[fi].mask = fm & ~(capMask | contMask)
        }
        if fi == 0 { rememberShape(base, index: keyCount - 1, ks, ke, escaped: esc, hash: hash, capMask, contMask) }
        p = ke + 1
        if p < end && base[p] == UInt8(ascii: ":") { return p + 1 }
        p = try skipWhitespace(base, p, end)
        guard base[p] == UInt8(ascii: ":") else { throw .invalid(p, "expected ':' after an object key") }
        return p + 1
    }

    /// Records the top-level key at `index` that took the full path: the shape keeps the
    /// prefix that still matches, plus this key when it can be compared as two words.
    @inline(__always)
    private func rememberShape(_ base: UnsafePointer<UInt8>, index: Int, _ ks: Int, _ ke: Int, escaped: Bool, hash: UInt64,
                               _ capMask: UInt64, _ contMask: UInt64) {
        let count = min(store.pointee.shapeCount, index)
        store.pointee.shapeCount = count
        let length = ke - ks
        guard count == index, index < JSONScanner.shapeCapacity, !escaped, length <= 16 else { return }
        store.pointee.shape[index] = ShapeKey(length: length, hash: hash, prefix: WordPrefix(base, ks, length: length),
                                              capMask: capMask, contMask: contMask)
        store.pointee.shapeCount = index + 1
    }

    /// Closes the innermost frame that ends at `endOffset`.
    @inline(__always)
    private func pop(_ frames: UnsafeMutablePointer<Frame>, _ depth: inout Int, _ keyCount: inout Int, _ endOffset: Int) {
        depth -= 1
        let f = frames[depth]
        if f.isObject {
            keyCount = f.keyStart
            if f.usesSet { store.pointee.tables[depth].reset() }
        }
        if f.capture >= 0 {
            let caps = store.pointee.captures
            let n = store.pointee.captureCount
            var i = f.capture
            let s = caps[f.capture].start
            while i < n && caps[i].start == s { caps[i].end = endOffset; i += 1 }
        }
    }

    @inline(__always)
    static func capture(_ store: UnsafeMutablePointer<Storage>, _ mask: UInt64, _ kind: JSONKind,
                                _ start: Int, _ end: Int, _ escaped: Bool) {
        var m = mask
        while m != 0 {
            let t = m.trailingZeroBitCount
            m &= m - 1
            if store.pointee.captureCount == store.pointee.captureCapacity {
                let cap = store.pointee.captureCapacity
                let bigger = UnsafeMutablePointer<JSONCapture>.allocate(capacity: cap * 2)
                bigger.moveInitialize(from: store.pointee.captures, count: cap)
                store.pointee.captures.deallocate()
                store.pointee.captures = bigger
                store.pointee.captureCapacity = cap * 2
            }
            store.pointee.captures[store.pointee.captureCount] = JSONCapture(target: t, kind: kind, start: start, end: end, escaped: escaped)
            store.pointee.captureCount += 1
        }
    }

    @inline(__always)
    private func elementMasks(_ mask: UInt64, depth: Int, _ capMask: inout UInt64, _ contMask: inout UInt64) {
        capMask = 0; contMask = 0
        var m = mask
        while m != 0 {
            let t = m.trailingZeroBitCount
            m &= m - 1
            let step = steps[t * stepStride + depth]
            if step.isEach {
                if step.isLast { capMask |= 1 << UInt64(t) } else { contMask |= 1 << UInt64(t) }
            }
        }
    }

    @inline(__always)
    private func matchKey(_ base: UnsafePointer<UInt8>, _ ks: Int, _ ke: Int, _ escaped: Bool, _ hash: UInt64, mask: UInt64, depth: Int,
                          _ capMask: inout UInt64, _ contMask: inout UInt64) {
        if escaped { return matchEscapedKey(base, ks, ke, mask: mask, depth: depth, &capMask, &contMask) }
        let length = ke - ks
        var m = mask
        while m != 0 {
            let t = m.trailingZeroBitCount
            m &= m - 1
            let step = steps[t * stepStride + depth]
            if !step.isEach && step.hash == hash && step.length == length && (length == 0 || memcmpBytes(step.key!, base + ks, length)) {
                if step.isLast { capMask |= 1 << UInt64(t) } else { contMask |= 1 << UInt64(t) }
            }
        }
    }

    private func matchEscapedKey(_ base: UnsafePointer<UInt8>, _ ks: Int, _ ke: Int, mask: UInt64, depth: Int,
                                 _ capMask: inout UInt64, _ contMask: inout UInt64) {
        decodeString(base, ks, ke, into: &store.pointee.scratchA)
        var m = mask
        while m != 0 {
            let t = m.trailingZeroBitCount
            m &= m - 1
            let step = steps[t * stepStride + depth]
            guard !step.isEach, step.length == store.pointee.scratchA.count else { continue }
            let equal = store.pointee.scratchA.withUnsafeBufferPointer { a in a.isEmpty || memcmpBytes(step.key!, a.baseAddress!, a.count) }
            if equal {
                if step.isLast { capMask |= 1 << UInt64(t) } else { contMask |= 1 << UInt64(t) }
            }
        }
    }

    // MARK: - Duplicate keys

    /// The duplicate check of a big object: the key goes into the object's `MemberTable`
    /// (the keys before it too, when the object just outgrew the linear check).
    private func checkDuplicateInTable(_ base: UnsafePointer<UInt8>, _ frame: inout Frame, _ keys: UnsafeMutablePointer<KeyEntry>,
                                       _ keyCount: Int, _ entry: KeyEntry, depth: Int) throws(JSONScanError) {
        while store.pointee.tables.count <= depth { store.pointee.tables.append(MemberTable()) }
        if !frame.usesSet {
            frame.usesSet = true
            for i in frame.keyStart..<keyCount {
                _ = store.pointee.tables[depth].insert(index: Int32(i), hash: keyedHash(base, keys[i])) { _ in false }
            }
        }
        let h = keyedHash(base, entry)
        let inserted = store.pointee.tables[depth].insert(index: Int32(keyCount), hash: h) { self.sameKey(base, keys[Int($0)], entry) }
        if !inserted { throw .invalid(entry.start - 1, "duplicate key in an object") }
    }

    /// The keyed hash (`MemberTable.hash`) of a key's decoded bytes.
    private func keyedHash(_ base: UnsafePointer<UInt8>, _ k: KeyEntry) -> UInt64 {
        guard k.escaped else { return MemberTable.hash(base + k.start, count: k.end - k.start) }
        decodeString(base, k.start, k.end, into: &store.pointee.scratchA)
        return store.pointee.scratchA.withUnsafeBufferPointer { MemberTable.hash($0.baseAddress, count: $0.count) }
    }

    private func sameKey(_ base: UnsafePointer<UInt8>, _ a: KeyEntry, _ b: KeyEntry) -> Bool {
        if !a.escaped && !b.escaped {
            return a.end - a.start == b.end - b.start && memcmpBytes(base + a.start, base + b.start, a.end - a.start)
        }
        decodeString(base, a.start, a.end, into: &store.pointee.scratchA)
        decodeString(base, b.start, b.end, into: &store.pointee.scratchB)
        return store.pointee.scratchA == store.pointee.scratchB
    }

    /// Hash of a key written with escapes: the hash of its decoded bytes, so `"a\u005fb"`
    /// and `"a_b"` collide as they must.
    private func escapedKeyHash(_ base: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> UInt64 {
        decodeString(base, s, e, into: &store.pointee.scratchA)
        return store.pointee.scratchA.withUnsafeBufferPointer { b in
            b.isEmpty ? JSONScanner.hashBytes(base, 0, 0, 0) : JSONScanner.hashBytes(b.baseAddress!, 0, b.count, b.count)
        }
    }

    /// A fast hash of `base[s..<e]`, eight bytes at a time; `limit` is how far reading is
    /// allowed (bytes past `e` are masked off, never used). Up to eight bytes the "hash"
    /// is the bytes themselves, which costs no multiply: keys are short, and every key of
    /// every record is hashed for the duplicate check.
    @inline(__always)
    static func hashBytes(_ base: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ limit: Int) -> UInt64 {
        let raw = UnsafeRawPointer(base)
        let n = e - s
        if n <= 8 {
            if n == 0 { return 0 }
            if s + 8 <= limit {
                return raw.loadUnaligned(fromByteOffset: s, as: UInt64.self) & (UInt64.max >> UInt64(64 - 8 * n))
            }
            var w: UInt64 = 0
            for i in 0..<n { w |= UInt64(base[s + i]) << UInt64(8 * i) }
            return w
        }
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        var p = s
        while p + 8 <= e {
            h = (h ^ raw.loadUnaligned(fromByteOffset: p, as: UInt64.self)) &* 0xff51_afd7_ed55_8ccd
            h ^= h >> 32
            p += 8
        }
        let rest = e - p
        if rest > 0 {
            // The last eight bytes (overlapping what was already mixed) — still inside the key.
            h = (h ^ raw.loadUnaligned(fromByteOffset: e - 8, as: UInt64.self)) &* 0xff51_afd7_ed55_8ccd
            h ^= h >> 32
        }
        return h
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
