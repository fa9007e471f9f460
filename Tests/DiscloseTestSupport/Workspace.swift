import Foundation
import Testing

/// A private copy of the repository's Examples/ and Keys/ (and scripts/), so that audit
/// logs, plans and bundles never touch the repository. Commands run in `examples`, where
/// `disclose.json` is, exactly as in the README.
package final class Workspace: @unchecked Sendable {
    package let temp: TempDir
    package var root: String { temp.path }
    /// The copy of Examples/ (holds disclose.json; the working directory of commands).
    package var examples: String { root + "/Examples" }
    /// The copy of Keys/.
    package var keys: String { root + "/Keys" }
    /// A scratch directory for plans, bundles and extractions.
    package var out: String { root + "/out" }

    package init(_ label: String = "disclose-e2e") throws {
        temp = try TempDir(label)
        let fm = FileManager.default
        for dir in ["Examples", "Keys", "scripts"] {
            try fm.copyItem(atPath: Binary.packageRoot + "/" + dir, toPath: temp.path + "/" + dir)
        }
        // A fresh audit log: whatever a local demo run left in Examples/state is not ours.
        try? fm.removeItem(atPath: examples + "/state")
        try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        // git does not keep modes; disclose refuses secrets readable by others.
        for name in try fm.contentsOfDirectory(atPath: keys)
        where name.hasSuffix(".key") || name.hasSuffix(".age") || name == "DEMO-pseudonym.secret" {
            guard chmod(keys + "/" + name, 0o600) == 0 else { throw POSIXError(.EPERM) }
        }
    }

    /// `keys/NAME`.
    package func key(_ name: String) -> String { keys + "/" + name }
    /// `examples/RELATIVE`.
    package func example(_ relative: String) -> String { examples + "/" + relative }
    /// `out/RELATIVE`.
    package func output(_ relative: String) -> String { out + "/" + relative }

    /// Runs `disclose` in the Examples copy (so ./disclose.json is the configuration).
    @discardableResult
    package func disclose(_ arguments: String..., environment: [String: String] = [:]) throws -> Run {
        try Run.disclose(arguments, in: examples, environment: environment)
    }

    /// The request file of an example case, relative to the Examples copy.
    package static func request(_ caseName: String, _ file: String = "request.json") -> String { "cases/\(caseName)/\(file)" }
    package static let case1 = "01-eu-epoc-paris"

    /// plan --out, then approvals by the given reviewer keys; returns the plan path.
    package func approvedPlan(case caseName: String = Workspace.case1, name: String = "plan.json",
                      reviewers: [String] = ["DEMO-reviewer-legal.key", "DEMO-reviewer-privacy.key"]) throws -> String {
        let plan = output(name)
        let p = try disclose("plan", Workspace.request(caseName), "--out", plan)
        try #require(p.status == 0, "plan failed:\n\(p)")
        for r in reviewers {
            let a = try disclose("approve", plan, "--key", key(r))
            try #require(a.status == 0, "approve failed:\n\(a)")
        }
        return plan
    }

    /// plan, two approvals, export: returns the bundle path. `again`: the reason for
    /// exporting a plan that was exported before (`--again --reason`).
    package func exportedBundle(name: String = "bundle", plan: String? = nil, again: String? = nil) throws -> String {
        let planPath = try plan ?? approvedPlan()
        let bundle = output(name)
        let e = try again.map { try disclose("export", planPath, "--out", bundle, "--again", "--reason", $0) }
            ?? disclose("export", planPath, "--out", bundle)
        try #require(e.status == 0, "export failed:\n\(e)")
        return bundle
    }

    /// The audit log entries' event names, in order — without the provider's signed heads
    /// (`head_signed`, written with every export; AuditSigningTests checks them).
    package func auditEvents() throws -> [String] {
        let path = example("state/audit.jsonl")
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return o?["event"] as? String ?? "?"
        }.filter { $0 != "head_signed" }
    }
}
