import DiscloseTestSupport
import Foundation
import Testing

/// Every command of README's walkthrough runs as pasted: the `sh` blocks between
/// "## Walkthrough" and the next chapter, in order, in one shell, from a copy of the
/// repository (the build line is replaced by the binary under test on PATH).
@Suite struct ReadmeWalkthroughTests {
    static func walkthrough() throws -> [String] {
        let readme = try String(contentsOfFile: Binary.packageRoot + "/README.md", encoding: .utf8)
        guard let start = readme.range(of: "\n## Walkthrough\n"),
              let end = readme.range(of: "\n## ", range: start.upperBound..<readme.endIndex) else { return [] }
        var blocks: [String] = [], current: [Substring]? = nil
        for line in readme[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```sh" { current = [] }
            else if current != nil, line == "```" { blocks.append(current!.joined(separator: "\n")); current = nil }
            else if current != nil { current!.append(line) }
        }
        return blocks
    }

    @Test func walkthroughRunsAsPasted() throws {
        guard try StockTool.require(.minisign, .sha512sum, .b2sum, .age) else { return }
        let blocks = try Self.walkthrough()
        try #require(blocks.count >= 6, "walkthrough blocks not found")
        let ws = try Workspace("disclose-readme")
        let bin = (Binary.disclose as NSString).deletingLastPathComponent
        var script = "set -euo pipefail\n"
        for block in blocks {
            for line in block.split(separator: "\n") {
                script += line.hasPrefix("swift build") ? "export PATH=\"\(bin):$PATH\"\n" : line + "\n"
            }
        }
        let r = try Run.command("bash", ["-c", script], in: ws.root)
        #expect(r.status == 0, "\(script)\n\(r)")
        #expect(r.stdout.contains("VERIFIED: every check holds."), "\(r.stdout.suffix(2000))")
    }
}
