import DiscloseTestSupport
import Foundation
import Testing

/// Hostile input and a hostile environment (issue 8): gigantic lines, deep nesting, huge
/// numbers, NUL bytes, overlong UTF-8, a data file that is a directory or a FIFO, a
/// symlink as output path, a full disk, a read-only output directory. Each must end in
/// one clear `disclose: error:` and exit 2 — never a crash, a hang, a stack trace, a plan
/// or a (partial) bundle — or, where the input is valid, in the documented result.
@Suite("Hostile input")
struct HostileInputTests {
    /// A record of the case 1 subject (acc_1042) inside the window, with `extra` spliced
    /// in as the last member(s).
    static func loginRecord(_ extra: String) -> [UInt8] {
        Array((#"{"account_id":"acc_1042","ts":"2026-10-15T12:00:00Z","ip":"198.51.100.7","user_agent":"hostile""# + extra + "}\n").utf8)
    }

    /// Appends raw bytes to a file of the Examples copy.
    static func append(_ bytes: [UInt8], to path: String) throws {
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? h.close() }
        try h.seekToEnd()
        try h.write(contentsOf: Data(bytes))
    }

    /// The failure contract: exit 2 (not a signal), an error line naming `mentions`, no
    /// crash report, and nothing written at `noOutput`.
    static func expectCleanFailure(_ r: Run, mentions: [String], noOutput: [String] = [],
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!r.signalled && r.status == 2, "expected exit 2:\n\(r)", sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("disclose: error: ") || r.stderr.contains("\ndisclose: error: "), "\(r)", sourceLocation: sourceLocation)
        for m in mentions { #expect(r.stderr.contains(m), "stderr should mention '\(m)':\n\(r)", sourceLocation: sourceLocation) }
        for bad in ["Fatal error", "Stack dump", "AddressSanitizer", "Illegal instruction", "Segmentation"] {
            #expect(!r.output.contains(bad), "crash report in the output:\n\(r)", sourceLocation: sourceLocation)
        }
        for path in noOutput { #expect(!Files.exists(path), "\(path) must not exist", sourceLocation: sourceLocation) }
    }

    /// A workspace's `plan` of case 1 with `--out`, which must fail cleanly.
    static func planFails(_ ws: Workspace, request: String = Workspace.request(Workspace.case1), mentions: [String],
                          sourceLocation: SourceLocation = #_sourceLocation) throws {
        let plan = ws.output("plan.json")
        let r = try ws.disclose("plan", request, "--out", plan)
        expectCleanFailure(r, mentions: mentions, noOutput: [plan], sourceLocation: sourceLocation)
        #expect(try ws.auditEvents().isEmpty, "a failed plan logs nothing", sourceLocation: sourceLocation)
    }

    // MARK: data files

    @Test("a 2 MiB line of the subject is fine; a line over the 64 MiB record limit is an error naming file and line")
    func giganticLines() throws {
        let ws = try Workspace("disclose-hostile")
        let logins = ws.example("data/logins/2026-10.jsonl")
        let lines = try Files.bytes(logins).filter { $0 == 0x0A }.count
        try Self.append(Self.loginRecord(#","blob":""# + String(repeating: "A", count: 2 << 20) + "\""), to: logins)
        let ok = try ws.disclose("plan", Workspace.request(Workspace.case1), "--json")
        #expect(ok.status == 0, "\(ok)")
        #expect(ok.stdout.contains("\"blob\""), "the unmapped 2 MiB field is reported as withheld")

        let ws2 = try Workspace("disclose-hostile")
        let logins2 = ws2.example("data/logins/2026-10.jsonl")
        try Self.append(Self.loginRecord(#","blob":""# + String(repeating: "A", count: 65 << 20) + "\""), to: logins2)
        try Self.planFails(ws2, mentions: ["data/logins/2026-10.jsonl:\(lines + 1):", "longer than 64 MiB"])
    }

    @Test("100,000 levels of nesting in a data record and 10,000 in a request: exit 2 naming the place")
    func deeplyNestedJSON() throws {
        let ws = try Workspace("disclose-hostile")
        let logins = ws.example("data/logins/2026-11.jsonl")
        let lines = try Files.bytes(logins).filter { $0 == 0x0A }.count
        try Self.append(Self.loginRecord(#","x":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)), to: logins)
        try Self.planFails(ws, mentions: ["data/logins/2026-11.jsonl:\(lines + 1):", "nesting deeper than"])

        let ws2 = try Workspace("disclose-hostile")
        let request = try Self.requestVariant(ws2, "deep.json", insert: #""x_deep": "# + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + ",")
        try Self.planFails(ws2, request: request, mentions: ["deep.json:4:", "nesting deeper than"])
    }

    /// Case 1's request with `insert` placed before `"authority":` (line 4).
    static func requestVariant(_ ws: Workspace, _ name: String, insert: String) throws -> String {
        let text = try String(contentsOfFile: ws.example(Workspace.request(Workspace.case1)), encoding: .utf8)
        let path = "cases/\(name)"
        try Data(text.replacingOccurrences(of: "\"authority\":", with: insert + "\"authority\":").utf8).write(to: URL(fileURLWithPath: ws.example(path)))
        return path
    }

    @Test("numbers with 10,000 digits: in a record's time field the record is withheld as unparseable; in a request, exit 2")
    func tenThousandDigitNumbers() throws {
        let ws = try Workspace("disclose-hostile")
        let digits = String(repeating: "9", count: 10_000)
        // The subject's message with a 10,000-digit epoch_ms time and a 10,000-digit size.
        try Self.append(Array((#"{"account_id":"acc_1042","sent_at":"# + digits + #","from":"a@b","size_bytes":"# + digits + "}\n").utf8),
                        to: ws.example("data/messages.jsonl"))
        let before = try Workspace("disclose-hostile").disclose("plan", Workspace.request(Workspace.case1), "--json")
        let after = try ws.disclose("plan", Workspace.request(Workspace.case1), "--json")
        #expect(before.status == 0 && after.status == 0, "\(after)")
        func records(_ r: Run) -> [String: Int] {
            let ds = Files.jsonObject(r.stdout)?["datasets"] as? [[String: Any]]
            return ds?.first { $0["name"] as? String == "messages" }?["records"] as? [String: Int] ?? [:]
        }
        let b = records(before), a = records(after)
        #expect(a["scanned"] == b["scanned"].map { $0 + 1 } && a["of_subjects"] == b["of_subjects"].map { $0 + 1 }, "\(a) vs \(b)")
        #expect(a["unparseable_time"] == b["unparseable_time"].map { $0 + 1 }, "withheld for an unparseable time: \(a) vs \(b)")
        #expect(a["disclosed"] == b["disclosed"], "and not disclosed")

        let ws2 = try Workspace("disclose-hostile")
        let request = try Self.requestVariant(ws2, "number.json", insert: "\"x_big\": \(digits),\n  ")
        try Self.planFails(ws2, request: request, mentions: ["number.json:4:", "number longer than"])
    }

    @Test("a raw NUL byte in a data record, a CSV cell or the request: exit 2 naming file, line and column")
    func nulBytes() throws {
        let ws = try Workspace("disclose-hostile")
        let logins = ws.example("data/logins/2026-09.jsonl")
        let lines = try Files.bytes(logins).filter { $0 == 0x0A }.count
        try Self.append(Array(#"{"account_id":"acc_1042","ts":"2026-10-15T12:00:00Z","ip":"198.51.100.7"#.utf8) + [0] + Array("\"}\n".utf8), to: logins)
        try Self.planFails(ws, mentions: ["data/logins/2026-09.jsonl:\(lines + 1):", "control character"])

        let ws2 = try Workspace("disclose-hostile")
        var request = try Files.bytes(ws2.example(Workspace.request(Workspace.case1)))
        let at = request.firstIndex(of: UInt8(ascii: "F"))!   // inside "FR-TJP-…", line 2
        request.insert(0, at: at)
        try Files.write(request, ws2.example("cases/nul.json"))
        try Self.planFails(ws2, request: "cases/nul.json", mentions: ["cases/nul.json:2:", "control character"])
    }

    @Test("overlong UTF-8 (C0 AF for '/') in a record, a CSV cell and the request: exit 2, 'invalid UTF-8'")
    func overlongUTF8() throws {
        let overlong: [UInt8] = [0xC0, 0xAF]
        let ws = try Workspace("disclose-hostile")
        let logins = ws.example("data/logins/2026-10.jsonl")
        let lines = try Files.bytes(logins).filter { $0 == 0x0A }.count
        try Self.append(Array(#"{"account_id":"acc_1042","ts":"2026-10-15T12:00:00Z","user_agent":"..."#.utf8) + overlong + Array("\"}\n".utf8), to: logins)
        try Self.planFails(ws, mentions: ["data/logins/2026-10.jsonl:\(lines + 1):", "UTF-8"])

        let ws2 = try Workspace("disclose-hostile")
        let csv = ws2.example("data/files.csv")
        let csvLines = try Files.bytes(csv).filter { $0 == 0x0A }.count
        try Self.append(Array("acc_1042,1790805600,x".utf8) + overlong + Array("y.txt,12,,,198.51.100.1\r\n".utf8), to: csv)
        try Self.planFails(ws2, mentions: ["data/files.csv:\(csvLines + 1)", "UTF-8"])

        let ws3 = try Workspace("disclose-hostile")
        var request = try Files.bytes(ws3.example(Workspace.request(Workspace.case1)))
        request.insert(contentsOf: overlong, at: request.firstIndex(of: UInt8(ascii: "F"))!)
        try Files.write(request, ws3.example("cases/overlong.json"))
        try Self.planFails(ws3, request: "cases/overlong.json", mentions: ["cases/overlong.json:2:", "UTF-8"])
    }

    @Test("a data file that is a directory: exit 2 naming it")
    func dataFileIsADirectory() throws {
        let ws = try Workspace("disclose-hostile")
        // Matched by the logins/*.jsonl glob of the data map.
        try FileManager.default.createDirectory(atPath: ws.example("data/logins/2026-12.jsonl"), withIntermediateDirectories: false)
        try Self.planFails(ws, mentions: ["data/logins/2026-12.jsonl", "directory"])
    }

    /// Runs `disclose` and kills it after `seconds` (a hang is a failure, not a stuck suite).
    static func discloseWithDeadline(_ ws: Workspace, _ arguments: [String], seconds: Double) throws -> (Run, timedOut: Bool) {
        let started = try Run.start(Binary.disclose, arguments, in: ws.examples)
        let deadline = Date().addingTimeInterval(seconds)
        while started.process.isRunning, Date() < deadline { usleep(20_000) }
        let timedOut = started.process.isRunning
        if timedOut { kill(started.pid, SIGKILL) }
        return (started.wait(), timedOut)
    }

    @Test("a data file that is a FIFO with no writer: exit 2 at once, not a hang (was: plan blocked forever in open)")
    func dataFileIsAFIFO() throws {
        let ws = try Workspace("disclose-hostile")
        for fifo in [ws.example("data/files.csv"), ws.example("data/logins/2026-12.jsonl")] {
            try? FileManager.default.removeItem(atPath: fifo)
            #expect(mkfifo(fifo, 0o644) == 0)
            let plan = ws.output("plan.json")
            let (r, timedOut) = try Self.discloseWithDeadline(ws, ["plan", Workspace.request(Workspace.case1), "--out", plan], seconds: 60)
            #expect(!timedOut, "plan hung on the FIFO \(fifo)")
            if !timedOut {
                Self.expectCleanFailure(r, mentions: [(fifo as NSString).lastPathComponent, "FIFO", "not a regular file"], noOutput: [plan])
            }
            try FileManager.default.removeItem(atPath: fifo)
            if fifo.hasSuffix("files.csv") { try Files.write(Array("account_id,uploaded_at,filename,size_bytes,sha256,shared_with,client_ip\n".utf8), fifo) }
        }
    }

    // MARK: output paths

    @Test("a symlink as output path (plan --out, export --out dangling or to a directory, keygen --out): exit 2, target untouched")
    func symlinkAsOutputPath() throws {
        let ws = try Workspace("disclose-hostile")
        let target = ws.output("target")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        let planLink = ws.output("plan-link.json")
        try FileManager.default.createSymbolicLink(atPath: planLink, withDestinationPath: target + "/plan.json")
        Self.expectCleanFailure(try ws.disclose("plan", Workspace.request(Workspace.case1), "--out", planLink), mentions: ["plan-link.json", "already exists"])

        let plan = try ws.approvedPlan()
        for (name, destination) in [("dangling", target + "/bundle"), ("to-dir", target)] {
            let link = ws.output("bundle-\(name)")
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: destination)
            Self.expectCleanFailure(try ws.disclose("export", plan, "--out", link), mentions: ["bundle-\(name)", "already exists"])
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == destination, "the link is left as it was")
        }
        let keyLink = ws.output("key-link")
        try FileManager.default.createSymbolicLink(atPath: keyLink, withDestinationPath: target + "/k")
        Self.expectCleanFailure(try ws.disclose("keygen", "recipient", "--out", keyLink), mentions: ["key-link", "already exists"])
        try FileManager.default.createSymbolicLink(atPath: ws.output("sig.key"), withDestinationPath: target + "/sig.key")
        Self.expectCleanFailure(try ws.disclose("keygen", "signing", "--unencrypted", "--out", ws.output("sig")), mentions: ["sig.key", "already exists"])
        #expect(Files.names(target).isEmpty, "nothing was written through a link")
        #expect(try ws.auditEvents() == ["planned", "approved", "approved"], "refused exports log nothing")
    }

    /// Mounts a tmpfs at `path` (root only); false when that is not possible here.
    static func mountTmpfs(_ path: String, options: String) -> Bool {
        guard getuid() == 0, let r = try? Run.command("mount", ["-t", "tmpfs", "-o", options, "tmpfs", path]) else { return false }
        return r.status == 0 && !r.signalled
    }

    static func unmount(_ path: String) { _ = try? Run.command("umount", [path]) }

    /// After a failed export into `dir`: nothing at `out`, no partial directory, the audit
    /// log verifies, and a later export to a good path succeeds and verifies.
    static func expectNothingLeft(_ ws: Workspace, plan: String, dir: String, out: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(!Files.exists(out), sourceLocation: sourceLocation)
        #expect(Files.names(dir).filter { $0.contains("partial") }.isEmpty, "no partial bundle: \(Files.names(dir))", sourceLocation: sourceLocation)
        let audit = try ws.disclose("audit", "verify")
        #expect(audit.status == 0, "\(audit)", sourceLocation: sourceLocation)
        let good = ws.output("good-\(UUID().uuidString.prefix(6))")
        let e = try ws.disclose("export", plan, "--out", good, "--again", "--reason", "the test exports this plan more than once")
        #expect(e.status == 0, "\(e)", sourceLocation: sourceLocation)
        let v = try Run.disclose(["verify", good, "--signer", ws.key("DEMO-provider.pub"), "--identity", ws.key("DEMO-authority-fr.age")], in: ws.out)
        #expect(v.status == 0, "\(v)", sourceLocation: sourceLocation)
    }

    @Test("a full disk: export fails with exit 2, no bundle and no partial bundle; the audit log verifies (file-size limit, and a tiny tmpfs when root)")
    func fullDisk() throws {
        let ws = try Workspace("disclose-hostile")
        let plan = try ws.approvedPlan()
        // RLIMIT_FSIZE with SIGXFSZ ignored: write(2) fails with EFBIG past 40 KiB. Not
        // under ThreadSanitizer, whose runtime itself dies of SIGBUS under a file-size
        // limit (in its shadow memory, before disclose writes anything).
        if ProcessInfo.processInfo.environment["DISCLOSE_TEST_SANITIZER"] != "thread" {
            let out = ws.output("bundle-fsize")
            let r = try Run.command("/bin/sh", ["-c", "ulimit -f 40; trap '' XFSZ; exec \"$0\" \"$@\"", Binary.disclose, "export", plan, "--out", out],
                                    in: ws.examples)
            Self.expectCleanFailure(r, mentions: ["write failed", "File too large", "disclose: hint: raise the file-size limit"], noOutput: [out])
            try Self.expectNothingLeft(ws, plan: plan, dir: ws.out, out: out)
        }

        // A 48 KiB tmpfs: ENOSPC.
        try Self.expectExportFailsOnFullTmpfs(ws, plan: plan, name: "tiny", size: "48k")
    }

    /// Exports `plan` into a tmpfs of `size` mounted at the workspace output `name` (root
    /// only; skipped otherwise): the export must fail with ENOSPC and leave nothing.
    static func expectExportFailsOnFullTmpfs(_ ws: Workspace, plan: String, name: String, size: String,
                                             sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dir = ws.output(name)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        guard mountTmpfs(dir, options: "size=\(size)") else { return }
        defer { unmount(dir) }
        let out = dir + "/bundle"
        let r = try ws.disclose("export", plan, "--out", out, "--again", "--reason", "the test exports this plan more than once")
        // An environment error: the OS reason, and a hint about the machine, not the input.
        expectCleanFailure(r, mentions: ["No space left on device", "disclose: hint: free space on the volume of"], noOutput: [out])
        try expectNothingLeft(ws, plan: plan, dir: dir, out: out, sourceLocation: sourceLocation)
    }

    @Test("a read-only output directory: export and plan --out exit 2 and write nothing")
    func readOnlyOutputDirectory() throws {
        let ws = try Workspace("disclose-hostile")
        let plan = try ws.approvedPlan()
        let ro = ws.output("ro")
        try FileManager.default.createDirectory(atPath: ro, withIntermediateDirectories: false)
        if getuid() == 0 {
            // root ignores mode bits: use a read-only mount.
            guard Self.mountTmpfs(ro, options: "ro,size=16k") else {
                try Test.cancel("skipped: running as root and cannot mount a read-only tmpfs")
            }
        } else {
            #expect(chmod(ro, 0o555) == 0)
        }
        defer { if getuid() == 0 { Self.unmount(ro) } else { chmod(ro, 0o755) } }
        let out = ro + "/bundle"
        Self.expectCleanFailure(try ws.disclose("export", plan, "--out", out), mentions: ["ro/bundle"], noOutput: [out])
        Self.expectCleanFailure(try ws.disclose("plan", Workspace.request(Workspace.case1), "--out", ro + "/plan.json"),
                                mentions: ["ro/plan.json"], noOutput: [ro + "/plan.json"])
        Self.expectCleanFailure(try ws.disclose("keygen", "recipient", "--out", ro + "/k"), mentions: ["ro/k"], noOutput: [ro + "/k"])
        #expect(Files.names(ro).isEmpty)
        try Self.expectNothingLeft(ws, plan: plan, dir: ro, out: out)
    }
}
