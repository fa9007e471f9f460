/// A set of byte strings that answers `contains` for a raw buffer without allocating,
/// so that the account-id check on every record of a dataset costs a hash and a compare.
struct ByteStringSet {
    private var slots: [Int32]
    private var items: [[UInt8]] = []
    private var mask: Int

    /// A set of the UTF-8 forms of `strings`.
    init<S: Sequence>(_ strings: S) where S.Element == String {
        let list = Array(Set(strings)).sorted()
        var size = 16
        while size < list.count * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for s in list {
            let bytes = Array(s.utf8)
            var i = Int(truncatingIfNeeded: bytes.withUnsafeBytes { ByteStringSet.hash($0) }) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(items.count)
            items.append(bytes)
        }
    }

    var isEmpty: Bool { items.isEmpty }

    /// Whether `bytes` is one of the strings.
    func contains(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if items.isEmpty { return false }
        var i = Int(truncatingIfNeeded: ByteStringSet.hash(bytes)) & mask
        while true {
            let s = slots[i]
            if s < 0 { return false }
            let item = items[Int(s)]
            if item.count == bytes.count && item.withUnsafeBytes({ $0.elementsEqual(bytes) }) { return true }
            i = (i + 1) & mask
        }
    }

    @inline(__always)
    static func hash(_ b: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = b.baseAddress, b.count > 0 else { return 0 }
        return JSONScanner.hashBytes(base.assumingMemoryBound(to: UInt8.self), 0, b.count, 0)
    }
}
