/// What changed between the approved plan and the plan recomputed now, computed from the
/// two `PlanModel`s: each changed value named by its path in the document, with list
/// members named by what identifies them (`datasets[messages].output.blake2b512`,
/// `datasets[logins].fields[ip].action`, `checks[instrument in force].outcome`), and the
/// human labels export has always led with ("the policy changed", …).
public enum PlanDifferences {
    /// One changed value: its path, and its compact JSON then and now (nil: absent).
    public struct Change: Sendable, Equatable {
        public var path: String
        public var approved, now: String?
    }

    /// Labels shown first when a change touches these paths (a `*` matches one list member).
    static let labels: [(pattern: String, label: String)] = [
        ("inputs.request_sha512", "the request file changed"),
        ("inputs.data_map_sha512", "the data map changed"),
        ("inputs.policy_sha512", "the policy changed"),
        ("datasets[*].output.blake2b512", "a dataset's scoped output changed (the data changed)"),
        ("datasets[*].records.scanned", "the number of records in a dataset changed"),
    ]

    /// How many changed values are listed after the labels.
    static let shown = 8

    /// Every changed value, in the approved document's order, then what only the new one has.
    public static func changes(approved: PlanModel, current: PlanModel) -> [Change] {
        var a: [(String, String)] = [], c: [(String, String)] = []
        flatten(approved.json, "", into: &a)
        flatten(current.json, "", into: &c)
        let now = Dictionary(c, uniquingKeysWith: { x, _ in x }), then = Dictionary(a, uniquingKeysWith: { x, _ in x })
        var out: [Change] = []
        for (path, value) in a where now[path] != value { out.append(Change(path: path, approved: value, now: now[path])) }
        for (path, value) in c where then[path] == nil { out.append(Change(path: path, approved: nil, now: value)) }
        return out
    }

    /// The readable lines: labels first, then up to `shown` changes as
    /// `path: approved X → now Y`, then how many more there are.
    public static func lines(approved: PlanModel, current: PlanModel) -> [String] {
        let all = changes(approved: approved, current: current)
        var out = labels.filter { l in all.contains { matches($0.path, l.pattern) } }.map(\.label)
        for change in all.prefix(shown) {
            out.append("\(change.path): approved \(show(change.approved)) → now \(show(change.now))")
        }
        if all.count > shown { out.append("… and \(all.count - shown) more changed value(s)") }
        return out.isEmpty ? ["the documents differ"] : out
    }

    /// Whether `path` is `pattern`, where `[*]` in the pattern stands for any `[name]`.
    static func matches(_ path: String, _ pattern: String) -> Bool {
        let parts = pattern.components(separatedBy: "[*]")
        guard parts.count == 2 else { return path == pattern }
        guard path.hasPrefix(parts[0] + "["), path.hasSuffix("]" + parts[1]) else { return false }
        return path.count > parts[0].count + parts[1].count + 2
    }

    private static func show(_ value: String?) -> String {
        guard let value else { return "(absent)" }
        return value.count > 100 ? String(value.prefix(99)) + "…" : value
    }

    /// The leaves of `value` with their paths. Lists of objects name each member by its
    /// identifying key (`name`, `path`, `check`, `category`), or by position; lists of
    /// plain values are one leaf.
    private static func flatten(_ value: JSONOutput, _ path: String, into out: inout [(String, String)]) {
        switch value {
        case .object(let members):
            for (k, v) in members { flatten(v, path.isEmpty ? k : "\(path).\(k)", into: &out) }
        case .array(let items) where items.contains(where: { if case .object = $0 { return true }; return false }):
            for (i, item) in items.enumerated() { flatten(item, "\(path)[\(identity(item) ?? String(i))]", into: &out) }
        default:
            out.append((path, value.compact))
        }
    }

    private static func identity(_ item: JSONOutput) -> String? {
        for key in ["name", "path", "check", "category"] { if case .string(let s)? = item[key] { return s } }
        return nil
    }
}
