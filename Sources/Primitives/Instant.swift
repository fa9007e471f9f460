import Foundation

/// A moment in time as nanoseconds since the Unix epoch, so that offsets and epoch
/// forms compare as instants rather than as text.
public struct Instant: Comparable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanoseconds: Int64

    /// Wraps a nanosecond count.
    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// Earlier than.
    @inlinable public static func < (a: Instant, b: Instant) -> Bool { a.nanoseconds < b.nanoseconds }

    /// RFC 3339 in UTC with as many fractional digits as needed.
    public var description: String { TimeParsing.format(self) }

    /// The current time from the system clock.
    public static var now: Instant {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Instant(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }
}
