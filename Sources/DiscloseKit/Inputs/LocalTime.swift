import Foundation

/// Times as people at the authority read them: the wall-clock time in the authority's
/// IANA time zone with its UTC offset, beside the same instant in UTC (legal time is
/// local time; the comparison is always between instants).
public enum LocalTime {
    /// True when `identifier` names a time zone this system knows.
    public static func isKnownZone(_ identifier: String) -> Bool { TimeZone(identifier: identifier) != nil }

    /// `2026-10-01 00:00 +02:00` in `zone`, or `2026-09-30 22:00 UTC` without one.
    /// Seconds appear only when non-zero.
    public static func wall(_ instant: Instant, zone: String?) -> String {
        let tz = zone.flatMap { TimeZone(identifier: $0) } ?? TimeZone(identifier: "UTC")!
        let seconds = instant.nanoseconds / 1_000_000_000 - (instant.nanoseconds < 0 && instant.nanoseconds % 1_000_000_000 != 0 ? 1 : 0)
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = tz
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String { let v = v ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        var text = "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
        if (c.second ?? 0) != 0 { text += ":" + two(c.second) }
        guard zone != nil else { return text + " UTC" }
        let offset = tz.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        return text + " \(sign)\(two(abs(offset) / 3600)):\(two(abs(offset) % 3600 / 60))"
    }

    /// The instant in the zone with UTC beside it: `2026-10-01 00:00 +02:00 (2026-09-30 22:00 UTC)`;
    /// without a zone just the UTC time.
    /// When both fall on the same calendar day, the UTC side shows the time only.
    public static func both(_ instant: Instant, zone: String?) -> String {
        guard zone != nil else { return wall(instant, zone: nil) }
        let local = wall(instant, zone: zone), utc = wall(instant, zone: nil)
        return local.prefix(10) == utc.prefix(10) ? "\(local) (\(utc.dropFirst(11)))" : "\(local) (\(utc))"
    }

    /// How the zone is labelled: its IANA name, or why UTC is shown.
    public static func label(_ zone: String?) -> String {
        zone ?? "UTC: the policy names no time zone for this authority"
    }
}
