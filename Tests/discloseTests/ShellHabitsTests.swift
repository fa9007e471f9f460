import DiscloseTestSupport
import Foundation
import Testing

/// Shell completion and the manual page, both generated from the usage texts.
@Suite struct ShellHabitsTests {
    @Test func bashCompletionCompletesCommandsAndOptions() throws {
        let script = try Run.disclose(["completion", "bash"])
        try #require(script.status == 0, "\(script)")
        func complete(_ words: [String]) throws -> [String] {
            let line = words.map { "'\($0)'" }.joined(separator: " ")
            let r = try Run.command("bash", ["-c", script.stdout + "\nCOMP_WORDS=(\(line)); COMP_CWORD=\(words.count - 1); _disclose; printf '%s\\n' \"${COMPREPLY[@]}\""])
            #expect(r.status == 0, "\(r)")
            return r.stdout.split(separator: "\n").map(String.init)
        }
        #expect(try complete(["disclose", "pl"]) == ["plan"])
        #expect(try complete(["disclose", "re"]).sorted() == ["report", "respond", "review"])
        #expect(try complete(["disclose", "plan", "--h"]).sorted() == ["--help", "--html"])
        #expect(try complete(["disclose", "approve", "p.json", "--y"]) == ["--yes"])
        #expect(try complete(["disclose", "keygen", "s"]) == ["signing"])
        for shell in ["zsh", "fish"] {
            let r = try Run.disclose(["completion", shell])
            #expect(r.status == 0 && r.stdout.contains("review") && r.stdout.contains("html"), "\(r)")
        }
        let bad = try Run.disclose(["completion", "tcsh"])
        #expect(bad.status == 2 && bad.stderr.contains("bash, zsh or fish"), "\(bad)")
    }

    @Test func manPageFromTheUsageTexts() throws {
        let r = try Run.disclose(["help", "--man"])
        try #require(r.status == 0, "\(r)")
        #expect(r.stdout.hasPrefix(".TH DISCLOSE 1"))
        for part in [".SH SYNOPSIS", ".SS plan", ".SS review", ".SS approve", ".SS completion", "--html FILE", ".SH EXIT STATUS"] {
            #expect(r.stdout.contains(part), "\(part)")
        }
        #expect(r.stdout.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII escaped for troff")
        guard (try? Run.command("/bin/sh", ["-c", "command -v groff"]).status) == 0 else { return }
        let page = ws_tmp(r.stdout)
        defer { try? FileManager.default.removeItem(atPath: page) }
        let g = try Run.command("groff", ["-man", "-Tutf8", "-ww", "-z", page])
        #expect(g.status == 0 && g.stderr.isEmpty, "\(g)")
    }

    private func ws_tmp(_ text: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-\(UUID().uuidString).1").path
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }
}
