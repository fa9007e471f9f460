/// A request's time window shown the three ways a reviewer needs: as the request wrote
/// it, in the authority's time zone, and in UTC — so a plain date's reading (a whole
/// calendar day where the authority is, `LegalTime`) is visible before anyone approves.
public enum WindowDisplay {
    /// The plan document's `window`: `from`, `to` (UTC instants, inclusive), `as_sent`
    /// {`from`, `to`}, `time_zone` (the authority's, or null) and `local` {`from`, `to`}
    /// (RFC 3339 with that zone's offset, or null without a zone).
    public static func window(_ r: Request) -> PlanModel.Window {
        let zone = r.timeZone.flatMap(LegalTime.zone(named:))
        let sent = r.windowAsSent ?? Request.WindowText(from: r.window.lowerBound.description, to: r.window.upperBound.description)
        return PlanModel.Window(
            from: r.window.lowerBound.description, to: r.window.upperBound.description,
            display: .init(asSent: .init(from: sent.from, to: sent.to), timeZone: zone == nil ? nil : r.timeZone,
                           local: zone.map { .init(from: LegalTime.format(r.window.lowerBound, in: $0), to: LegalTime.format(r.window.upperBound, in: $0)) }))
    }

    /// The report's lines (without indentation): as sent, local, UTC.
    public static func lines(_ r: Request) -> [String] {
        let sent = r.windowAsSent ?? Request.WindowText(from: r.window.lowerBound.description, to: r.window.upperBound.description)
        var out = ["\(sent.from) – \(sent.to) (as sent)"]
        if let name = r.timeZone, let z = LegalTime.zone(named: name) {
            out.append("\(LegalTime.format(r.window.lowerBound, in: z)) – \(LegalTime.format(r.window.upperBound, in: z)) (\(name); a plain date is that whole day there)")
        }
        out.append("\(r.window.lowerBound) – \(r.window.upperBound) (UTC, both ends inclusive)")
        return out
    }
}
