import Primitives
/// A set of byte strings that answers `contains` for a raw buffer without allocating,
/// so that the account-id check on every record of a dataset costs a few compares.
///
/// The strings live in one flat buffer. A request names a handful of accounts, so a
/// small set is searched linearly (length and first eight bytes first, which rejects
/// nearly every other account at once); a large one through an open-addressing table.
final class ByteStringSet: @unchecked Sendable {
    private let bytes: UnsafeMutablePointer<UInt8>
    private let starts: [Int]
    private let slots: [Int32]
    private let mask: Int
    /// Per string its length and head (first eight bytes, zero-padded), side by side, in
    /// memory the check reads without bounds or reference-count checks.
    private let probes: UnsafeMutablePointer<(length: Int, head: UInt64)>
    private let probeCount: Int
    /// Sets up to this size are searched linearly.
    private static let linearLimit = 8

    /// A set of the UTF-8 forms of `strings`.
    init<S: Sequence>(_ strings: S) where S.Element == String {
        let list = Array(Set(strings)).sorted().map { Array($0.utf8) }
        let total = list.reduce(0) { $0 + $1.count }
        bytes = .allocate(capacity: max(1, total))
        var starts: [Int] = [], offset = 0
        for item in list {
            (bytes + offset).initialize(from: item, count: item.count)
            starts.append(offset)
            offset += item.count
        }
        self.starts = starts
        // The first eight bytes of each string, zero-padded.
        let heads = list.map { item in
            var w: UInt64 = 0
            for (i, b) in item.prefix(8).enumerated() { w |= UInt64(b) << UInt64(8 * i) }
            return w
        }
        var size = 16
        while size < list.count * 2 { size <<= 1 }
        var slots = [Int32](repeating: -1, count: list.count > ByteStringSet.linearLimit ? size : 0)
        mask = size - 1
        if !slots.isEmpty {
            for (n, item) in list.enumerated() {
                var i = Int(truncatingIfNeeded: item.withUnsafeBytes { ByteStringSet.hash($0) }) & mask
                while slots[i] >= 0 { i = (i + 1) & mask }
                slots[i] = Int32(n)
            }
        }
        self.slots = slots
        probeCount = list.count
        probes = .allocate(capacity: max(1, list.count))
        for i in list.indices { (probes + i).initialize(to: (list[i].count, heads[i])) }
    }

    deinit {
        bytes.deallocate()
        probes.deallocate()
    }

    var isEmpty: Bool { starts.isEmpty }

    /// Whether `candidate` is one of the strings.
    func contains(_ candidate: UnsafeRawBufferPointer) -> Bool {
        let n = candidate.count
        if probeCount <= ByteStringSet.linearLimit {
            guard n > 0 else { return (0..<probeCount).contains { probes[$0].length == 0 } }
            let p = candidate.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let head = n >= 8 ? UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) : JSONScanner.hashBytes(p, 0, n, 0)
            var i = 0
            while i < probeCount {
                if probes[i].length == n && probes[i].head == head && (n <= 8 || memcmpBytes(bytes + starts[i] + 8, p + 8, n - 8)) {
                    return true
                }
                i &+= 1
            }
            return false
        }
        var i = Int(truncatingIfNeeded: ByteStringSet.hash(candidate)) & mask
        while true {
            let s = Int(slots[i])
            if s < 0 { return false }
            if probes[s].length == n && (n == 0 || memcmpBytes(bytes + starts[s], candidate.baseAddress!.assumingMemoryBound(to: UInt8.self), n)) {
                return true
            }
            i = (i + 1) & mask
        }
    }

    @inline(__always)
    static func hash(_ b: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = b.baseAddress, b.count > 0 else { return 0 }
        return JSONScanner.hashBytes(base.assumingMemoryBound(to: UInt8.self), 0, b.count, 0)
    }
}
