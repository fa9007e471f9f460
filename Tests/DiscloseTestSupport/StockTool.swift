import Foundation
import Testing

/// The stock programs the bundle must satisfy ("the referees").
package enum StockTool: String, CaseIterable, Sendable {
    case minisign, age, sha512sum, b2sum, tar, python3
    /// Headless Chromium (Debian `chromium`): renders the HTML sheets and the chart.
    case chromium
    /// The Python `bagit` package (BagIt validation).
    case bagit

    /// Which are installed; probed once. `DISCLOSE_TEST_HIDE_TOOLS=age,bagit` pretends
    /// some are missing (to check the skip / CI-failure path).
    package static let available: [StockTool: Bool] = {
        let hidden = Set((ProcessInfo.processInfo.environment["DISCLOSE_TEST_HIDE_TOOLS"] ?? "").split(separator: ",").map(String.init))
        var m: [StockTool: Bool] = [:]
        for t in allCases {
            if hidden.contains(t.rawValue) { m[t] = false; continue }
            switch t {
            case .bagit:
                let probe = try? Run.command("python3", ["-c", "import bagit"])
                m[t] = probe.map { $0.status == 0 && !$0.signalled } ?? false
            default:
                m[t] = ToolLookup.path(t.rawValue) != nil
            }
        }
        return m
    }()

    /// True when every tool is installed. When one is missing the test cannot be made:
    /// with `CI=true` that is a failure (an issue is recorded, returns false); otherwise
    /// the test is skipped (cancelled). Use: `guard try StockTool.require(.age) else { return }`.
    package static func require(_ tools: StockTool..., sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
        let missing = tools.filter { available[$0] != true }
        guard !missing.isEmpty else { return true }
        let names = missing.map { $0 == .bagit ? "python3 bagit package" : $0.rawValue }.joined(separator: ", ")
        if ToolLookup.isCI {
            Issue.record("stock tool(s) missing: \(names); CI=true, so this is a failure (install them with scripts/deps.sh)",
                         sourceLocation: sourceLocation)
            return false
        }
        #if compiler(>=6.3)
        try Test.cancel("skipped: stock tool(s) missing: \(names) (install them with scripts/deps.sh)", sourceLocation: sourceLocation)
        #else
        print("skipped: stock tool(s) missing: \(names)")
        return false
        #endif
    }
}

/// Finding programs on `PATH`, and the rule every test target follows for them: with
/// `CI=true` a missing tool is a failure, otherwise the test that needs it is skipped.
package enum ToolLookup {
    /// True when running under CI (`CI=true`): missing tools or vectors then fail.
    package static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The absolute path of the executable `name` on `PATH` (then /usr/bin, /usr/local/bin),
    /// or nil when it is not installed.
    package static func path(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
