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
    /// Child for array elements (`[]`).
    var each: FieldActionNode?
    /// Some path strictly below this node has its own action, so the subtree cannot be
    /// treated as one value.
    var hasDeeperAction = false

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
}
