import Primitives
/// The time of a record, read so that it compares with a window exactly.
///
/// `Instant` holds nanoseconds, and `TimeParsing` truncates longer fractions: a record
/// 1 ps after a window's end would compare equal to the end and be disclosed. A record
/// time whose fraction has a non-zero digit past the nanosecond (past the 9th fractional
/// digit of RFC 3339 and `epoch_s`, the 6th of `epoch_ms`) therefore cannot be placed
/// exactly and is unparseable: the record is withheld and counted, like any record with
/// a bad time (fail closed). Trailing zeros past the nanosecond change nothing and are
/// accepted. Request bounds are not read here (see `TimeParsing.parseDate`).
enum RecordTime {
    /// Parses a record's time value (decoded string text, or a JSON number's text);
    /// nil when it is not a valid time in `format` or is finer than a nanosecond.
    static func parse(_ bytes: UnsafeRawBufferPointer, format: TimeFormat) -> Instant? {
        guard isExact(bytes, digits: format == .epochMillis ? 6 : 9) else { return nil }
        return TimeParsing.parse(bytes, format: format)
    }

    /// Whether every fractional digit after the first `digits` is `0` (true when there
    /// is no fraction).
    static func isExact(_ bytes: UnsafeRawBufferPointer, digits: Int) -> Bool {
        guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")) else { return true }
        var i = dot + 1
        var n = 0
        while i < bytes.count, bytes[i] &- 0x30 < 10 {
            if n >= digits && bytes[i] != UInt8(ascii: "0") { return false }
            n += 1
            i += 1
        }
        return true
    }
}
