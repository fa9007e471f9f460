import DiscloseTestSupport
import Foundation
import Testing

/// Read once (issue 13.1): every untrusted file is opened once, and the bytes hashed are
/// the bytes parsed — under a file system that serves different bytes on a second open,
/// and under a rename race, a forged bundle never verifies.
@Suite("Read once")
struct ReadOnceTests {
    @Test("a file system serving forged bytes on every second open never gets a forged bundle VERIFIED; verify opens each file once")
    func swappingFileSystem() throws {
        guard try StockTool.require(.age, .b2sum, .sha512sum) else { return }
        let fx = try TamperFixture.shared()
        let dir = try TempDir("disclose-readonce")
        let f = try ForgedBundle(fx, in: dir)
        for (n, args) in [f.verifyArguments(identity: false), f.verifyArguments(identity: true),
                          f.verifyArguments(identity: true, extract: dir("extracted"))].enumerated() {
            let log = dir("opens-\(n).log")
            let v = try Run.disclose(args, in: dir.path, environment: try SwappingFileSystem.environment(root: f.bundle, forged: f.forged, log: log))
            #expect(v.status == 1, "\(v)")
            #expect(!v.stdout.contains("VERIFIED: every check holds"), "a forged bundle verified:\n\(v)")
            #expect(v.stdout.contains("[FAIL] manifest-sha512.txt: SHA-512 differs from tagmanifest-sha512.txt") ||
                    v.stdout.contains("[FAIL] data/logins.jsonl.age: SHA-512 differs from manifest-sha512.txt"), "\(v)")
            #expect(!Files.exists(dir("extracted")), "nothing extracted from a forged bundle")
            #expect(SwappingFileSystem.openedTwice(log: log).isEmpty, "opened more than once: \(SwappingFileSystem.openedTwice(log: log))")
            #expect(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("manifest-sha512.txt"), "the shim saw the opens")
        }
    }

    @Test("a pristine bundle verifies under the shim with each of its files opened exactly once (also while decrypting)")
    func pristineBundleOpensEachFileOnce() throws {
        let fx = try TamperFixture.shared()
        let dir = try TempDir("disclose-readonce")
        try FileManager.default.copyItem(atPath: fx.bundleA, toPath: dir("bundle"))
        let log = dir("opens.log")
        let v = try Run.disclose(["verify", dir("bundle"), "--signer", fx.workspace.key("DEMO-provider.pub"),
                                  "--identity", fx.workspace.key("DEMO-authority-fr.age"), "--extract", dir("x")],
                                 in: dir.path, environment: try SwappingFileSystem.environment(root: dir("bundle"), forged: dir("none"), log: log))
        #expect(v.status == 0, "\(v)")
        let opened = Set(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init))
        #expect(opened == Set(Files.tree(dir("bundle"))), "\(opened.sorted())")
        #expect(SwappingFileSystem.openedTwice(log: log).isEmpty, "opened more than once: \(SwappingFileSystem.openedTwice(log: log))")
    }

    @Test("a rename race on manifest-sha512.txt over 200 verifies: zero forged bundles VERIFIED")
    func renameRace() throws {
        guard try StockTool.require(.age, .b2sum, .sha512sum) else { return }
        let fx = try TamperFixture.shared()
        let dir = try TempDir("disclose-readonce")
        let f = try ForgedBundle(fx, in: dir)
        let target = f.bundle + "/manifest-sha512.txt"
        try FileManager.default.copyItem(atPath: target, toPath: dir("genuine-manifest"))
        let racer = Racer(target: target, versions: [dir("genuine-manifest"), f.forged + "/manifest-sha512.txt"], temp: dir("swap.tmp"))
        racer.start()
        var wins: [Run] = []
        var sawGenuine = 0, sawForged = 0
        for i in 0..<200 {
            let v = try Run.disclose(f.verifyArguments(identity: i % 4 == 3), in: dir.path)
            if v.status == 0 || v.stdout.contains("VERIFIED: every check holds") { wins.append(v) }
            if v.stdout.contains("[FAIL] manifest-sha512.txt") { sawForged += 1 } else { sawGenuine += 1 }
        }
        racer.stop()
        #expect(wins.isEmpty, "\(wins.count) forged bundle(s) verified; first:\n\(wins.first.map { "\($0)" } ?? "")")
        #expect(sawGenuine > 0 && sawForged > 0, "the race served both versions (genuine \(sawGenuine), forged \(sawForged))")
    }

    @Test("export reads the plan and each approval once, and refuses an approval that is a symbolic link")
    func exportReadsOnceWithoutLinks() throws {
        let ws = try Workspace("disclose-readonce")
        let plan = try ws.approvedPlan()
        let log = ws.output("../opens.log")
        let e = try ws.disclose("export", plan, "--out", ws.output("bundle"),
                                environment: try SwappingFileSystem.environment(root: ws.out, forged: ws.output("../none"), log: log))
        #expect(e.status == 0, "\(e)")
        #expect(SwappingFileSystem.openedTwice(log: log).isEmpty, "opened more than once: \(SwappingFileSystem.openedTwice(log: log))")

        // The privacy approval replaced by a link to an identical copy elsewhere: not read.
        let ws2 = try Workspace("disclose-readonce")
        let plan2 = try ws2.approvedPlan()
        let privacy = plan2 + ".4014F7A53C1151D2.minisig"
        try FileManager.default.moveItem(atPath: privacy, toPath: ws2.root + "/elsewhere.minisig")
        try FileManager.default.createSymbolicLink(atPath: privacy, withDestinationPath: ws2.root + "/elsewhere.minisig")
        let l = try ws2.disclose("export", plan2, "--out", ws2.output("bundle"))
        #expect(l.status == 2, "\(l)")
        #expect(l.stderr.contains("plan.json.4014F7A53C1151D2.minisig: is a symbolic link; links are not followed"), "\(l)")
        #expect(!Files.exists(ws2.output("bundle")))
    }

    @Test("audit verify --bundle reads the log once: the chain and the bundle's recorded head come from the same bytes")
    func auditVerifyReadsTheLogOnce() throws {
        let ws = try Workspace("disclose-readonce")
        let bundle = try ws.exportedBundle()
        let log = ws.output("../opens.log")
        let a = try ws.disclose("audit", "verify", "--bundle", bundle,
                                environment: try SwappingFileSystem.environment(root: ws.example("state"), forged: ws.output("../none"), log: log))
        #expect(a.status == 0, "\(a)")
        #expect(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("audit.jsonl"), "the shim saw the log opened")
        #expect(SwappingFileSystem.openedTwice(log: log).isEmpty, "opened more than once: \(SwappingFileSystem.openedTwice(log: log))")
    }

    @Test("import reads the HI-1 message once")
    func importReadsOnce() throws {
        let ws = try Workspace("disclose-readonce")
        let xml = "fr-tj-paris-epoc.xml"
        let log = ws.output("../opens.log")
        let r = try ws.disclose("import", "hi1/" + xml,
                                environment: try SwappingFileSystem.environment(root: ws.examples + "/hi1", forged: ws.output("../none"), log: log))
        #expect(r.status == 0, "\(r)")
        #expect(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains(xml), "the shim saw the message opened")
        #expect(SwappingFileSystem.openedTwice(log: log).isEmpty, "opened more than once: \(SwappingFileSystem.openedTwice(log: log))")
    }

    /// Swaps `target` between `versions` (link + rename, so it always exists) on its own
    /// thread until stopped.
    final class Racer: @unchecked Sendable {
        let target: String, versions: [String], temp: String
        private let lock = NSLock()
        private var stopping = false
        private let done = DispatchSemaphore(value: 0)

        init(target: String, versions: [String], temp: String) { self.target = target; self.versions = versions; self.temp = temp }

        func start() {
            Thread { [self] in
                var i = 0
                while !(lock.withLock { stopping }) {
                    unlink(temp)
                    if link(versions[i % versions.count], temp) == 0 { rename(temp, target) }
                    i += 1
                }
                done.signal()
            }.start()
        }

        func stop() {
            lock.withLock { stopping = true }
            done.wait()
        }
    }
}
