/// How a record's time field is written.
public enum TimeFormat: String, Sendable, Codable, CaseIterable {
    /// RFC 3339 / ISO 8601 date-time with `Z` or a numeric offset, fractional seconds optional.
    case rfc3339
    /// Seconds since the Unix epoch (integer or decimal, JSON number or string).
    case epochSeconds = "epoch_s"
    /// Milliseconds since the Unix epoch (integer, JSON number or string).
    case epochMillis = "epoch_ms"
}
