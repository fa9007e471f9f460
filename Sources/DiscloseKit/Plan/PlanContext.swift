import Sodium

/// What the provider's own files add to a plan read back for people: the data map and
/// policy with the digests of their bytes (used only when they equal the plan's), and
/// the reviewer decisions found beside the plan file.
public struct PlanContext: Sendable {
    /// A data map and the SHA-512 of the bytes it was parsed from.
    public struct Map: Sendable { public var map: DataMap; public var digest: String }
    /// A policy and the SHA-512 of the bytes it was parsed from.
    public struct Rules: Sendable { public var policy: Policy; public var digest: String }

    public var dataMap: Map?
    public var policy: Rules?
    /// `.minisig` texts (file name → contents) found beside the plan; nil: not looked for.
    public var approvals: [(name: String, text: String)]?
    /// The emergency statement of the request being planned (not in the plan document).
    public var emergencyStatement: String? = nil

    /// A context from files already loaded and digested.
    public init(dataMap: Map?, policy: Rules?, approvals: [(name: String, text: String)]?) {
        self.dataMap = dataMap; self.policy = policy; self.approvals = approvals
    }

    /// The context of a case being planned: its own data map and policy.
    public init(files: CaseFiles) {
        self.init(dataMap: Map(map: files.dataMap, digest: files.dataMapDigest),
                  policy: Rules(policy: files.policy, digest: files.policyDigest), approvals: nil)
        emergencyStatement = files.request.emergency?.statement
    }

    /// Loads the data map and policy named by `config` (each file read once; the digest
    /// is of the bytes parsed) and the decisions beside `planPath`.
    public static func load(config: ProviderConfig, planPath: String?) throws -> PlanContext {
        let mapBytes = try FileBytes.read(path: config.dataMapPath, limit: DocumentJSON.maxBytes)
        let policyBytes = try FileBytes.read(path: config.policyPath, limit: DocumentJSON.maxBytes)
        let map = try DataMap.parse(DocumentJSON.parse(mapBytes, file: config.dataMapPath), file: config.dataMapPath)
        let policy = try Policy.parse(DocumentJSON.parse(policyBytes, file: config.policyPath), file: config.policyPath)
        var found: [(name: String, text: String)]? = nil
        if let planPath {
            found = try Approval.files(forPlan: planPath).map { path in
                (name: path, text: String(decoding: try FileBytes.read(path: path, limit: 1 << 16), as: UTF8.self))
            }
        }
        return PlanContext(dataMap: Map(map: map, digest: Hex.encode(SHA512.hash(mapBytes))),
                           policy: Rules(policy: policy, digest: Hex.encode(SHA512.hash(policyBytes))), approvals: found)
    }
}
