import Primitives
/// The first sixteen bytes (or fewer) of a byte string as two little-endian words, with
/// masks for the bytes that belong to it: the scanner's shortcuts compare a key or a
/// record's literal segment against input with two loads instead of a byte loop.
struct WordPrefix {
    var word0: UInt64
    var word1: UInt64
    var mask0: UInt64
    var mask1: UInt64

    /// The prefix of `base[start..<start+length]` (at most its first sixteen bytes).
    init(_ base: UnsafePointer<UInt8>, _ start: Int, length: Int) {
        var w = (UInt64(0), UInt64(0))
        for i in 0..<min(length, 16) {
            let b = UInt64(base[start &+ i]) << UInt64(8 &* (i & 7))
            if i < 8 { w.0 |= b } else { w.1 |= b }
        }
        word0 = w.0
        word1 = w.1
        mask0 = length >= 8 ? .max : (UInt64(1) << UInt64(8 &* length)) &- 1
        mask1 = length <= 8 ? 0 : length >= 16 ? .max : (UInt64(1) << UInt64(8 &* (length &- 8))) &- 1
    }

    /// Whether the input at `raw + offset` starts with the prefix; the caller ensures
    /// sixteen bytes are readable there.
    @inline(__always)
    func matches(_ raw: UnsafeRawPointer, at offset: Int) -> Bool {
        let a0 = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        let a1 = raw.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt64.self)
        return ((a0 ^ word0) & mask0) | ((a1 ^ word1) & mask1) == 0
    }
}
