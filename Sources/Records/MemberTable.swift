import Primitives
import Sodium

/// The duplicate-key check of one big JSON object (more members than the scanner checks
/// linearly): an open-addressing table of the object's keys by a keyed hash.
///
/// Keys come from untrusted records, so the table hashes the whole decoded key with
/// SipHash-2-4 under a per-process random key (`ShortHash.process`): nobody who cannot
/// read this process's memory can choose keys that collide, and every insert costs
/// O(1) expected time whatever the keys. (The scanner's fast unkeyed key hash is used
/// only to match keys against the data map's few target keys, never to index a table.)
struct MemberTable {
    /// Per slot: the index of a key in the scanner's key list, or -1 when free.
    private var slots: UnsafeMutablePointer<Int32>
    /// Per slot: the keyed hash of that key (compared before the bytes, and reused when growing).
    private var hashes: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    /// Keys in the table.
    private(set) var count = 0
    /// A fresh table's capacity, and the most one keeps between objects.
    private static let initialCapacity = 64
    private static let keptCapacity = 4096

    init() {
        capacity = MemberTable.initialCapacity
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: -1, count: capacity)
        hashes = .allocate(capacity: capacity)
        hashes.initialize(repeating: 0, count: capacity)
    }

    /// Frees the storage (the owner's deinit).
    func release() {
        slots.deallocate()
        hashes.deallocate()
    }

    /// Empties the table for the next object, giving back the memory of a huge one.
    mutating func reset() {
        guard count > 0 else { return }
        if capacity > MemberTable.keptCapacity {
            release()
            self = MemberTable()
            return
        }
        slots.update(repeating: -1, count: capacity)
        count = 0
    }

    /// Adds key `index` with keyed hash `hash`; false (nothing added) when a key already in
    /// the table with the same hash is the same key by `same(existingIndex)`.
    mutating func insert(index: Int32, hash: UInt64, same: (Int32) -> Bool) -> Bool {
        if (count &+ 1) &* 2 > capacity { grow() }
        let mask = capacity &- 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let s = slots[i]
            if s < 0 { break }
            if hashes[i] == hash && same(s) { return false }
            i = (i &+ 1) & mask
        }
        slots[i] = index
        hashes[i] = hash
        count &+= 1
        return true
    }

    /// Doubles the capacity, placing every key again by its stored hash.
    private mutating func grow() {
        let oldSlots = slots, oldHashes = hashes, oldCapacity = capacity
        capacity = oldCapacity * 2
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: -1, count: capacity)
        hashes = .allocate(capacity: capacity)
        hashes.initialize(repeating: 0, count: capacity)
        let mask = capacity &- 1
        for j in 0..<oldCapacity where oldSlots[j] >= 0 {
            var i = Int(truncatingIfNeeded: oldHashes[j]) & mask
            while slots[i] >= 0 { i = (i &+ 1) & mask }
            slots[i] = oldSlots[j]
            hashes[i] = oldHashes[j]
        }
        oldSlots.deallocate()
        oldHashes.deallocate()
    }

    /// The keyed hash of a key's decoded bytes.
    @inline(__always)
    static func hash(_ bytes: UnsafePointer<UInt8>?, count: Int) -> UInt64 {
        ShortHash.process.hash(bytes, count: count)
    }
}
