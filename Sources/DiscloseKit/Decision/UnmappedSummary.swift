/// The unmapped fields of a dataset in a form fit for clear-text documents.
///
/// The paths of unmapped fields are taken from records: a member name can itself be
/// personal data (a map keyed by address or phone number). The plan (which stays with
/// the provider) and the encrypted disclosure record list them in full; a clear-text
/// document gets only this summary: per data-map path under which unmapped fields were
/// found (`profile.*`, or `*` at the top level), how many distinct names and how many
/// values — nothing spelled from a record.
struct UnmappedSummary: Equatable {
    /// A data-map path followed by `.*` (`*` for the record's top level).
    var field: String
    /// Distinct unmapped paths under it.
    var names: Int
    /// Values withheld under them.
    var values: Int

    /// Generalises `unmapped` (path → values) to the longest path in `mapped` (the data
    /// map's field paths, or their prefixes) that each path continues with `.` or `[]`.
    static func of(_ unmapped: [String: Int], mapped: [FieldPath]) -> [UnmappedSummary] {
        // Every prefix of a mapped path is a node of the data map's path tree.
        var nodes: Set<String> = []
        for path in mapped {
            for n in 1...path.components.count { nodes.insert(FieldPath(Array(path.components.prefix(n))).description) }
        }
        var groups: [String: (names: Int, values: Int)] = [:]
        for (path, values) in unmapped {
            var best = ""
            for n in nodes where n.count > best.count && (path.hasPrefix(n + ".") || path.hasPrefix(n + "[]")) { best = n }
            let field = best.isEmpty ? "*" : best + ".*"
            groups[field, default: (0, 0)].names += 1
            groups[field, default: (0, 0)].values += values
        }
        return groups.keys.sorted().map { UnmappedSummary(field: $0, names: groups[$0]!.names, values: groups[$0]!.values) }
    }
}
