import Foundation

/// Times as legal instruments write them: a plain date is a calendar day where the
/// authority is, not a UTC midnight.
///
/// Why: a New York subpoena for "2026-09-01 – 2026-11-30" means New York days. Read as
/// UTC midnights it discloses a login at `2026-08-31T20:00:00-04:00` (August, in New York)
/// and leaves out all of 30 November. So a plain date `YYYY-MM-DD` is read in a named
/// IANA time zone: as a lower bound, the first instant of that day there; as an upper
/// bound, the **last instant of that day there** (the next day's first instant minus one
/// nanosecond), so an inclusive window `from…to` covers both days whole. On a day whose
/// midnight does not exist (a DST change at midnight) the day starts at its first
/// existing instant. Times with an offset (`…T20:00:00-04:00`, `…Z`) are instants and are
/// used as they are. A plain date with no zone to read it in is refused, never guessed.
public enum LegalTime {
    /// Which end of its day a plain date stands for.
    public enum Bound: Sendable {
        /// The first instant of the day (window `from`, `issued`, `received`, `--from`, `--at`).
        case start
        /// The last instant of the day, inclusive (window `to`, `expires`, `--to`).
        case end
    }

    /// Why a time could not be read.
    public enum Problem: Error, Equatable {
        /// Neither an RFC 3339 date-time nor a `YYYY-MM-DD` date.
        case malformed
        /// A plain date, and no time zone to read it in.
        case plainDateWithoutZone
    }

    /// The time zone named `name` when it is an IANA zone name (`Area/Location` such as
    /// `Europe/Paris`, `America/New_York`, `Etc/UTC`, or `UTC`) that Foundation's
    /// `TimeZone(identifier:)` knows; nil for anything else, including abbreviations and
    /// offsets (`EST`, `GMT+5`) and names in the wrong case.
    public static func zone(named name: String) -> TimeZone? {
        if name == "UTC" { return TimeZone(identifier: "UTC") }
        let u = Array(name.utf8)
        guard u.count <= 64, u.contains(UInt8(ascii: "/")), let first = u.first, first &- 0x41 < 26,
              u.allSatisfy({ $0 &- 0x41 < 26 || $0 &- 0x61 < 26 || $0 &- 0x30 < 10 || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }),
              let z = TimeZone(identifier: name), z.identifier == name else { return nil }
        return z
    }

    /// True when `text` is a plain date `YYYY-MM-DD` (whether or not the day exists).
    public static func isPlainDate(_ text: String) -> Bool {
        let u = Array(text.utf8)
        return u.count == 10 && u[4] == UInt8(ascii: "-") && u[7] == UInt8(ascii: "-")
    }

    /// Reads `text`: an RFC 3339 date-time as the instant it names, or a plain date as the
    /// `bound` of that day in `zone`.
    public static func instant(_ text: String, bound: Bound, zone: TimeZone?) -> Result<Instant, Problem> {
        guard isPlainDate(text) else {
            return TimeParsing.parse(text, format: .rfc3339).map { .success($0) } ?? .failure(.malformed)
        }
        guard let days = TimeParsing.parseDate(text).map({ $0.nanoseconds / 86_400_000_000_000 }) else { return .failure(.malformed) }
        guard let zone else { return .failure(.plainDateWithoutZone) }
        switch bound {
        case .start: return .success(startOfDay(days, in: zone))
        case .end: return .success(Instant(nanoseconds: startOfDay(days + 1, in: zone).nanoseconds - 1))
        }
    }

    /// The first instant of the civil day `days` (since 1970-01-01) in `zone`.
    public static func startOfDay(_ days: Int64, in zone: TimeZone) -> Instant {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        // Noon UTC of that date lies on that date in every zone within ±12 h; shift to the
        // zone's noon to be safe for ±14 h zones, then ask for the start of that day.
        let noonUTC = Double(days * 86_400 + 43_200)
        let localNoon = noonUTC - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: noonUTC)))
        let start = calendar.startOfDay(for: Date(timeIntervalSince1970: localNoon))
        return Instant(nanoseconds: Int64(start.timeIntervalSince1970.rounded()) * 1_000_000_000)
    }

    /// RFC 3339 of `instant` in `zone`, with that zone's offset at that instant
    /// (`2026-11-30T23:59:59.999999999-05:00`); a fraction only when it is not zero.
    public static func format(_ instant: Instant, in zone: TimeZone) -> String {
        let seconds = instant.nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        let whole = seconds.remainder < 0 ? seconds.quotient - 1 : seconds.quotient
        let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(whole))))
        let shifted = TimeParsing.format(Instant(nanoseconds: instant.nanoseconds + offset * 1_000_000_000))
        let sign = offset < 0 ? "-" : "+"
        let m = abs(offset) / 60
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return String(shifted.dropLast()) + "\(sign)\(two(m / 60)):\(two(m % 60))"
    }

    /// Reads a time given on the command line (`report --from/--to`, `status --at`):
    /// RFC 3339 as the instant it names; a plain date as the `bound` of that day in the
    /// zone named `zoneName` (`--time-zone`, else the configuration's `time_zone`). A
    /// plain date without a zone is an input error, never a UTC guess.
    public static func commandLine(_ text: String, option: String, bound: Bound, zoneName: String?) throws -> Instant {
        switch instant(text, bound: bound, zone: zoneName.flatMap(zone(named:))) {
        case .success(let t): return t
        case .failure(.malformed):
            throw InputError(file: option, message: "'\(text)' is not an RFC 3339 time or a YYYY-MM-DD date", hint: "for example 2026-06-30 or 2026-06-30T18:00:00+02:00")
        case .failure(.plainDateWithoutZone):
            throw InputError(file: option, message: "the plain date \(text) is a calendar day, but no time zone says where it begins and ends",
                             hint: "pass --time-zone NAME (an IANA name such as Europe/Paris), set \"time_zone\" in disclose.json, or give a time with an offset")
        }
    }

    /// The length of `window` in days as `zone`'s clock shows it (wall time at the end
    /// minus wall time at the start), so a window of plain dates across a DST change is
    /// a whole number of days; in UTC without a zone.
    public static func days(_ window: ClosedRange<Instant>, zone: TimeZone?) -> Double {
        func wall(_ i: Instant) -> Int64 {
            guard let zone else { return i.nanoseconds }
            let s = i.nanoseconds / 1_000_000_000
            return i.nanoseconds + Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(s)))) * 1_000_000_000
        }
        return Double(wall(window.upperBound) - wall(window.lowerBound)) / 86_400e9
    }
}
