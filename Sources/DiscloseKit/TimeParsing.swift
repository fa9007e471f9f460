// Placeholder; the streaming-engine work replaces this file.
/// Parsing and formatting of record and request times.
public enum TimeParsing {
    /// RFC 3339 in UTC.
    public static func format(_ i: Instant) -> String { "\(i.nanoseconds)" }
}
