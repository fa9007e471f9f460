import DiscloseTestSupport
import Foundation
import Testing

/// Every command that takes a path, over the paths a user may type: a one-character
/// relative name (which crashed Foundation's `deletingLastPathComponent` with SIGILL),
/// `./p`, `p/`, an absolute name, `../p`, a path longer than PATH_MAX, a component longer
/// than NAME_MAX, and a name that is not UTF-8. Each run must end with exit 0, 1 or 2 —
/// never a signal — and a failure must say why (`disclose: error:`, or a verification
/// verdict for `verify` and `audit verify`).
@Suite(.serialized) struct PathArgumentTests {
    /// A command line with `@` where the path goes, and what to place at that path first
    /// (relative to Examples/; nil: the path is an output).
    struct Slot: Sendable {
        var words: [String]
        var input: String?
    }

    static let pub = "../Keys/DEMO-provider.pub"
    static let fr = "../Keys/DEMO-authority-fr.age"
    static let legal = "../Keys/DEMO-reviewer-legal.key"
    static let r1 = "cases/01-eu-epoc-paris/request.json"
    static let r6 = "cases/06-us-preservation/request.json"
    static let span = ["--from", "2026-01-01T00:00:00Z", "--to", "2026-12-31T00:00:00Z"]

    static let slots: [Slot] = [
        Slot(words: ["keygen", "recipient", "--out", "@"]),
        Slot(words: ["keygen", "pseudonym", "--out", "@"]),
        Slot(words: ["keygen", "signing", "--unencrypted", "--out", "@"]),
        Slot(words: ["keygen", "signing", "--out", "k1", "--passphrase-file", "@"], input: "pass.txt"),
        Slot(words: ["plan", "@"], input: r1),
        Slot(words: ["plan", r1, "--out", "@"]),
        Slot(words: ["plan", r1, "--sample", "1", "--sample-out", "@"]),
        Slot(words: ["plan", r1, "--config", "@"], input: "disclose.json"),
        Slot(words: ["approve", "@", "--key", legal], input: "plan.json"),
        Slot(words: ["approve", "plan.json", "--key", "@"], input: legal),
        Slot(words: ["export", "@", "--out", "bx"], input: "plan.json"),
        Slot(words: ["export", "plan.json", "--out", "@"]),
        Slot(words: ["export", "plan.json", "--tar", "--out", "@"]),
        Slot(words: ["export", "plan.json", "--out", "bx", "--passphrase-file", "@"], input: "pass.txt"),
        Slot(words: ["verify", "@", "--signer", pub], input: "b"),
        Slot(words: ["verify", "b", "--signer", "@"], input: pub),
        Slot(words: ["verify", "b", "--signer", pub, "--identity", "@"], input: fr),
        Slot(words: ["verify", "b", "--signer", pub, "--identity", fr, "--extract", "@"]),
        Slot(words: ["decrypt", "--identity", "@", "b/data/record.json.age"], input: fr),
        Slot(words: ["decrypt", "--identity", fr, "--output", "@", "b/data/record.json.age"]),
        Slot(words: ["decrypt", "--identity", fr, "@"], input: "b/data/record.json.age"),
        Slot(words: ["case", "receive", "@"], input: r1),
        Slot(words: ["preserve", "@", "--out", "pres"], input: r6),
        Slot(words: ["preserve", r6, "--out", "@"]),
        Slot(words: ["status", "--config", "@"], input: "disclose.json"),
        Slot(words: ["audit", "verify", "--bundle", "@"], input: "b"),
        Slot(words: ["audit", "verify", "--log", "@"], input: "state/audit.jsonl"),
        Slot(words: ["audit", "verify", "--config", "@"], input: "disclose.json"),
        Slot(words: ["report"] + span + ["--log", "@"], input: "state/audit.jsonl"),
        Slot(words: ["report"] + span + ["--config", "@"], input: "disclose.json"),
        Slot(words: ["report"] + span + ["--chart", "@.svg"]),
        Slot(words: ["import", "@"], input: "hi1/fr-tj-paris-epoc.xml"),
        Slot(words: ["import", "hi1/fr-tj-paris-epoc.xml", "--out", "@"]),
        Slot(words: ["respond", "@", "--out", "ans.xml"], input: "plan.json"),
        Slot(words: ["respond", "plan.json", "--out", "@"]),
        Slot(words: ["respond", "plan.json", "--bundle", "@", "--out", "ans.xml"], input: "b"),
        Slot(words: ["import-delivery", "@", "--out", "bx.tar"], input: "plan.json"),
        Slot(words: ["import-delivery", "plan.json", "--out", "@"]),
        Slot(words: ["case", "receive", "hi1/us-dany-subpoena.xml", "--acknowledge", "@"]),
    ]

    /// The paths, as raw bytes (the last is not UTF-8).
    static let variants: [[UInt8]] = [
        Array("p".utf8), Array("./p".utf8), Array("p/".utf8), Array("/proc/p".utf8), Array("../p".utf8),
        Array((String(repeating: "d/", count: 2100) + "p").utf8),     // > PATH_MAX (4096)
        Array(String(repeating: "n", count: 300).utf8),                // > NAME_MAX (255)
        [UInt8(ascii: "p"), 0xFF],
    ]

    /// `$'…'` quoting of arbitrary bytes for bash.
    static func quoted(_ bytes: [UInt8]) -> String {
        "$'" + bytes.map { String(format: "\\x%02x", $0) }.joined() + "'"
    }

    /// bash that removes what a run may have left at `p`-named paths in Examples/ and its parent.
    static let sweep = "rm -rf p p.* p$'\\xef\\xbf\\xbd'* nnnn* bx bx.tar pres ans.xml k1.key k1.pub ../p ../p.*"

    /// bash that copies `input` (and, for a plan, its approvals) to `target` when the path can hold it.
    static func place(_ input: String, at target: [UInt8]) -> String {
        let t = quoted(target)
        var line = "cp -r \(quoted(Array(input.utf8))) \(t) 2>/dev/null && chmod 600 \(t)"
        if input == "plan.json" { line += "; for a in plan.json.*.minisig; do cp \"$a\" \(t)\"${a#plan.json}\" 2>/dev/null; done" }
        return line
    }

    @Test func everyCommandTakingAPathEndsCleanlyOnEveryKindOfPath() throws {
        let ws = try Workspace("disclose-paths")
        try Files.write(Array("correct horse battery staple\n".utf8), ws.example("pass.txt"))
        _ = try ws.approvedPlan(name: "../Examples/plan.json")
        let e = try ws.disclose("export", "plan.json", "--out", "b")
        try #require(e.status == 0, "\(e)")
        // One bash script runs the whole table (one process spawn, not hundreds); each
        // run's exit status, stdout and stderr go to files named after its index.
        let results = try TempDir("disclose-paths-runs")
        var script = ""
        var cases: [(slot: Slot, path: [UInt8])] = []
        for slot in Self.slots {
            for v in Self.variants {
                let i = cases.count
                cases.append((slot, v))
                script += Self.sweep + "\n"
                if let input = slot.input, v.allSatisfy({ $0 < 0x80 }), v.last != UInt8(ascii: "/") { script += Self.place(input, at: v) + "\n" }
                let words = slot.words.map { w -> String in
                    Self.quoted(Array(w.replacingOccurrences(of: "@", with: "\u{0}").utf8).flatMap { $0 == 0 ? v : [$0] })
                }
                script += "\"$1\" \(words.joined(separator: " ")) >\(results.path)/o\(i) 2>\(results.path)/e\(i) </dev/null; echo $? >\(results.path)/rc\(i)\n"
            }
        }
        script += Self.sweep + "\n"
        try Files.write(Array(script.utf8), results("table.sh"))
        let run = try Run.command("/bin/bash", [results("table.sh"), Binary.disclose], in: ws.examples)
        try #require(run.status == 0, "\(run)")
        var failures: [String] = []
        for (i, c) in cases.enumerated() {
            let rc = Int32(String(decoding: try Files.bytes(results("rc\(i)")), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
            let out = String(decoding: try Files.bytes(results("o\(i)")), as: UTF8.self)
            let err = String(decoding: try Files.bytes(results("e\(i)")), as: UTF8.self)
            let explained = err.contains("disclose: error:") || (rc == 1 && (out.contains("NOT VERIFIED") || out.contains("BROKEN")))
            let label = "\(c.slot.words.joined(separator: " ")) with \(Self.quoted(c.path).prefix(40))"
            if rc < 0 || rc > 2 || (rc != 0 && !explained) {
                failures.append("\(label): exit \(rc) (above 128: a signal)\n\(err.prefix(600))\(out.prefix(300))")
            }
            if c.path.last == 0xFF {
                #expect(rc == 2 && err.contains("not valid UTF-8"), "\(label): \(rc) \(err)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) run(s) crashed or failed without an error:\n\(failures.prefix(5).joined(separator: "\n"))")
    }

    @Test func oneCharacterOutputPathsWorkWhereTheyCrashedBefore() throws {
        let ws = try Workspace("disclose-paths")
        let k = try ws.disclose("keygen", "recipient", "--out", "k")
        #expect(k.status == 0 && Files.exists(ws.example("k")) && Files.exists(ws.example("k.pub")), "\(k)")
        let plan = try ws.disclose("plan", Self.r1, "--out", "p")
        #expect(plan.status == 0 && Files.exists(ws.example("p")), "\(plan)")
        for key in ["DEMO-reviewer-legal.key", "DEMO-reviewer-privacy.key"] {
            let a = try ws.disclose("approve", "p", "--key", ws.key(key))
            #expect(a.status == 0, "\(a)")
        }
        let e = try ws.disclose("export", "p", "--out", "b")
        #expect(e.status == 0 && Files.exists(ws.example("b/disclosure.json")), "\(e)")
        let slash = try ws.disclose("keygen", "pseudonym", "--out", "s/")
        #expect(slash.status == 2 && slash.stderr.contains("does not name a file"), "\(slash)")
    }
}
