/// What an authority's UPDATE changes in the case's request, in Disclose's terms: the
/// request before and after (`HI1Update.apply`, then `HI1Mapping`) compared member by
/// member. A changed request is a new request: its digest changes, so approvals of the
/// old plan cannot bind it — it must be planned and approved again.
public enum HI1UpdateDiff {
    /// One line per changed member (`instrument.expires: A → B`); empty when nothing
    /// that Disclose decides on changed.
    public static func lines(from old: Request, to new: Request) -> [String] {
        var out: [String] = []
        func diff(_ name: String, _ a: String, _ b: String) { if a != b { out.append("\(name): \(a) → \(b)") } }
        diff("authority", old.authority, new.authority)
        diff("instrument.type", old.instrument.type, new.instrument.type)
        diff("instrument.reference", old.instrument.reference, new.instrument.reference)
        diff("instrument.issuer_role", old.instrument.issuerRole, new.instrument.issuerRole)
        diff("instrument.issued", old.instrument.issued.description, new.instrument.issued.description)
        diff("instrument.expires", old.instrument.expires?.description ?? "none", new.instrument.expires?.description ?? "none")
        diff("received", old.received.description, new.received.description)
        diff("window", "\(old.window.lowerBound) – \(old.window.upperBound)", "\(new.window.lowerBound) – \(new.window.upperBound)")
        diff("categories", old.categories.sorted().map(\.rawValue).joined(separator: ", "), new.categories.sorted().map(\.rawValue).joined(separator: ", "))
        func label(_ s: Request.Subject) -> String { "\(s.kind.rawValue) \(s.value)\(s.time.map { " at \($0)" } ?? "")" }
        for s in new.subjects where !old.subjects.contains(s) { out.append("subject added: \(label(s))") }
        for s in old.subjects where !new.subjects.contains(s) { out.append("subject removed: \(label(s))") }
        diff("emergency", old.emergency == nil ? "no" : "yes", new.emergency == nil ? "no" : "yes")
        return out
    }
}

extension HI1UpdateDiff {
    /// The case's request before and after an UPDATE message, read from their files (each
    /// once), with the changed members.
    public static func load(updatePath: String, requestPath: String, policy: Policy) throws
        -> (old: Request, new: Request, changes: [String], merged: HI1Request) {
        let requestBytes = try FileBytes.read(path: requestPath, limit: RequestLoader.maxBytes)
        guard RequestLoader.isXML(requestBytes) else {
            throw InputError(file: requestPath, message: "--update-of names the case's HI-1 request message; this is not XML")
        }
        let original = try HI1Reader.read(requestBytes, file: requestPath)
        let update = try HI1UpdateReader.read(FileBytes.read(path: updatePath, limit: RequestLoader.maxBytes), file: updatePath)
        let merged = try update.apply(to: original, file: updatePath)
        let old = try HI1Mapping.request(from: original, policy: policy, file: requestPath)
        let new = try HI1Mapping.request(from: merged, policy: policy, file: updatePath)
        return (old, new, lines(from: old, to: new), merged)
    }
}
