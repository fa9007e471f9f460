/// Strict UTF-8 checks shared by the JSON and CSV scanners and the strict XML reader.
/// Inlinable, so the scanners' hot loops inline them across the module boundary as before.
///
/// Strict means RFC 3629: no overlong forms, no surrogates (U+D800…U+DFFF), nothing above
/// U+10FFFF. Invalid text is rejected rather than repaired, because a repaired value is
/// no longer the value the provider holds.
public enum UTF8Validation {
    /// Result of checking one multi-byte sequence.
    public enum SequenceResult {
        /// Valid; the sequence has this many bytes.
        case valid(Int)
        /// Not valid UTF-8.
        case invalid
        /// The buffer ends inside the sequence; more bytes are needed to decide.
        case needMore
    }

    /// Checks the sequence starting at `p` (whose first byte is ≥ 0x80), reading no
    /// byte at or beyond `end`.
    @inlinable @inline(__always)
    public static func checkSequence(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int) -> SequenceResult {
        let b0 = base[p]
        var need: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: return .invalid
        }
        var q = p + 1
        guard q < end else { return .needMore }
        let b1 = base[q]
        guard b1 >= lo && b1 <= hi else { return .invalid }
        q += 1
        need -= 1
        while need > 0 {
            guard q < end else { return .needMore }
            guard base[q] & 0xC0 == 0x80 else { return .invalid }
            q += 1
            need -= 1
        }
        return .valid(q - p)
    }

    /// Validates `base[start..<end]` as complete UTF-8. Returns the offset of the first
    /// invalid byte, or nil when all of it is valid. ASCII runs go 8 bytes at a time.
    @inlinable
    public static func firstInvalid(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var p = start
        let raw = UnsafeRawPointer(base)
        while p < end {
            while p + 8 <= end {
                let w = raw.loadUnaligned(fromByteOffset: p, as: UInt64.self)
                if w & 0x8080_8080_8080_8080 != 0 { break }
                p += 8
            }
            while p < end && base[p] < 0x80 { p += 1 }
            if p >= end { return nil }
            switch checkSequence(base, p, end) {
            case .valid(let n): p += n
            case .invalid, .needMore: return p
            }
        }
        return nil
    }

    /// Whether `bytes` is entirely valid UTF-8.
    @inlinable
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let b = bytes.baseAddress, bytes.count > 0 else { return true }
        return firstInvalid(b.assumingMemoryBound(to: UInt8.self), 0, bytes.count) == nil
    }
}
