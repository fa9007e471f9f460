import Foundation
import Testing

/// Two good bundles of case 1 (and a rogue signing key), made once for the whole matrix;
/// every tamper case works on its own copy of bundle A.
package final class TamperFixture: @unchecked Sendable {
    package let workspace: Workspace
    package let bundleA: String
    package let bundleB: String
    /// A signing key that is not the provider's (made by `disclose keygen signing`).
    package let rogueKey: String
    package let roguePub: String

    private init() throws {
        workspace = try Workspace("disclose-tamper-fixture")
        let plan = try workspace.approvedPlan()
        bundleA = try workspace.exportedBundle(name: "A", plan: plan)
        bundleB = try workspace.exportedBundle(name: "B", plan: plan, again: "a second bundle of the same plan, to swap files between")
        let rogue = workspace.output("rogue")
        let k = try workspace.disclose("keygen", "signing", "--unencrypted", "--out", rogue)
        try #require(k.status == 0, "\(k)")
        rogueKey = rogue + ".key"
        roguePub = rogue + ".pub"
        // Static fixtures never deinit: remove the directory when the test process exits.
        TamperFixture.path = workspace.root
        atexit {
            if let p = TamperFixture.path, ProcessInfo.processInfo.environment["DISCLOSE_KEEP_TEMP"] != "1" {
                try? FileManager.default.removeItem(atPath: p)
            }
        }
    }

    package nonisolated(unsafe) static var path: String?
    private static let made = Result { try TamperFixture() }
    package static func shared() throws -> TamperFixture { try made.get() }
}
