import Primitives

/// contents eight bytes at a time.
final class JSONScanner {
    /// Deepest nesting accepted (objects and arrays).
    static let maxDepth = 512
    /// Objects with more keys than this switch from a linear duplicate check to a
    /// `MemberTable` (keyed hash).
    static let linearKeyLimit = 24
    /// Most members one object may have: a record over it is malformed (refused with its
    /// line, like any malformed record), so that no single record can stall a scan.
    static let maxMembers = 65_536

    struct Frame {
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
    let rootMask: UInt64

    /// One step of a target path in flat storage (no reference counting on the hot path).
    struct Step {
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
    static let shapeCapacity = 32

    let frames: UnsafeMutablePointer<Frame>
    let store: UnsafeMutablePointer<Storage>
    /// The literal layout of the last flat record (see `RecordTemplate`).
    let template: UnsafeMutablePointer<RecordTemplate>
    let steps: UnsafeMutablePointer<Step>
    let stepStride: Int

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
}
