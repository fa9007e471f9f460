import Primitives
import Foundation

/// The per-field actions of a `DatasetScope` as a tree of path steps, so that the writer
/// finds the action of a nested value (the longest mapped prefix of its path) while it
/// walks the record, and knows when a whole subtree can be copied at once.
final class FieldActionNode {
    /// The action mapped at exactly this path, if any.
    var action: FieldAction?
    /// This node's path in text form (`a.b[]`), used for the statistics.
    let pathText: String
    /// Children by decoded key.
    var keys: [String: FieldActionNode] = [:]
    /// The same children by the key's UTF-8 bytes, for lookups without building a String.
    private(set) var keyBytes: [(key: [UInt8], node: FieldActionNode)] = []
    /// Values each action was applied to under this node's action, indexed by
    /// `FieldAction.allCases` order; folded into the statistics once per dataset so the
    /// hot path counts with integers instead of hashing path strings.
    @exclusivity(unchecked) var counts = [Int](repeating: 0, count: FieldAction.allCases.count)
    /// Child for array elements (`[]`).
    var each: FieldActionNode?
    /// Some path strictly below this node has its own action, so the subtree cannot be
    /// treated as one value.
    var hasDeeperAction = false
    /// This node's action, or one below it, lets values leave (anything but `withhold`;
    /// see `markReleases`).
    private(set) var releases = false
    /// An empty array here is kept in the output: its elements' path (`x[]`) may release values.
    private(set) var keepsEmptyArray = false
    /// An empty object here is kept in the output: a member path below (`x.a`) may release values.
    private(set) var keepsEmptyObject = false

    init(pathText: String) { self.pathText = pathText }

    /// Builds the tree of `actions`.
    static func build(_ actions: [FieldPath: FieldAction]) -> FieldActionNode {
        let root = FieldActionNode(pathText: "")
        // Sorted for determinism of construction (the result does not depend on it).
        for (path, action) in actions.sorted(by: { $0.key < $1.key }) {
            var node = root
            var text = ""
            for c in path.components {
                node.hasDeeperAction = true
                switch c {
                case .key(let k):
                    text = text.isEmpty ? k : text + "." + k
                    if let n = node.keys[k] { node = n } else {
                        let n = FieldActionNode(pathText: text)
                        node.keys[k] = n
                        node.keyBytes.append((Array(k.utf8), n))
                        node = n
                    }
                case .each:
                    text += "[]"
                    if let n = node.each { node = n } else {
                        let n = FieldActionNode(pathText: text)
                        node.each = n
                        node = n
                    }
                }
            }
            node.action = action
        }
        return root
    }

    /// The child for the decoded key `bytes`, if mapped.
    @inline(__always)
    func child(forKey bytes: UnsafeBufferPointer<UInt8>) -> FieldActionNode? {
        for entry in keyBytes where entry.key.count == bytes.count {
            if entry.key.withUnsafeBufferPointer({ bytes.count == 0 || memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
                return entry.node
            }
        }
        return nil
    }

    /// Sets `releases` and the empty-container flags of this subtree; `pseudonymizes` is
    /// false when `pseudonymize` withholds (no pseudonym key). Returns `releases`.
    @discardableResult
    func markReleases(pseudonymizes: Bool) -> Bool {
        var below = false
        keepsEmptyObject = false
        for (_, child) in keyBytes where child.markReleases(pseudonymizes: pseudonymizes) { keepsEmptyObject = true }
        keepsEmptyArray = each?.markReleases(pseudonymizes: pseudonymizes) ?? false
        below = keepsEmptyObject || keepsEmptyArray
        let own = action.map { $0 != .withhold && ($0 != .pseudonymize || pseudonymizes) } ?? false
        releases = own || below
        return releases
    }

    /// Adds this subtree's counters to `stats.fieldActions` and resets them.
    func foldCounts(into stats: inout DatasetStatistics) {
        for (i, n) in counts.enumerated() where n > 0 {
            stats.fieldActions[pathText, default: [:]][FieldAction.allCases[i].rawValue, default: 0] += n
            counts[i] = 0
        }
        for (_, child) in keyBytes { child.foldCounts(into: &stats) }
        each?.foldCounts(into: &stats)
    }
}
