import Primitives

/// Duplicate-key detection: keys compared after decoding escapes, a linear check for small
/// objects and a keyed `MemberTable` for big ones.
extension JSONScanner {

    /// The duplicate check of a big object: the key goes into the object's `MemberTable`
    /// (the keys before it too, when the object just outgrew the linear check).
    func checkDuplicateInTable(_ base: UnsafePointer<UInt8>, _ frame: inout Frame, _ keys: UnsafeMutablePointer<KeyEntry>,
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
    func keyedHash(_ base: UnsafePointer<UInt8>, _ k: KeyEntry) -> UInt64 {
        guard k.escaped else { return MemberTable.hash(base + k.start, count: k.end - k.start) }
        decodeString(base, k.start, k.end, into: &store.pointee.scratchA)
        return store.pointee.scratchA.withUnsafeBufferPointer { MemberTable.hash($0.baseAddress, count: $0.count) }
    }

    func sameKey(_ base: UnsafePointer<UInt8>, _ a: KeyEntry, _ b: KeyEntry) -> Bool {
        if !a.escaped && !b.escaped {
            return a.end - a.start == b.end - b.start && memcmpBytes(base + a.start, base + b.start, a.end - a.start)
        }
        decodeString(base, a.start, a.end, into: &store.pointee.scratchA)
        decodeString(base, b.start, b.end, into: &store.pointee.scratchB)
        return store.pointee.scratchA == store.pointee.scratchB
    }

    /// Hash of a key written with escapes: the hash of its decoded bytes, so `"a\u005fb"`
    /// and `"a_b"` collide as they must.
    func escapedKeyHash(_ base: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> UInt64 {
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
}
