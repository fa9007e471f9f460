import Foundation
import Testing

/// Bundle A of the tamper fixture forged as an attacker who controls the storage would
/// (issue 13.1): one login record altered (same length, so sizes and the Payload-Oxum
/// stay), the disclosure record's plaintext digest changed to match, both re-encrypted to
/// the authority's public recipient with stock `age`. The genuine tag files, tag manifest
/// and provider signature stay in `bundle`; the forged `manifest-sha512.txt` that lists
/// the forged payloads is in `forged/` (served on a second open, or swapped in by a race).
struct ForgedBundle {
    let bundle: String
    let forged: String
    let identity: String
    let signer: String

    init(_ fx: TamperFixture, in dir: TempDir) throws {
        bundle = dir("bundle")
        forged = dir("forged")
        identity = fx.workspace.key("DEMO-authority-fr.age")
        signer = fx.workspace.key("DEMO-provider.pub")
        try FileManager.default.copyItem(atPath: fx.bundleA, toPath: bundle)
        try FileManager.default.createDirectory(atPath: forged, withIntermediateDirectories: true)
        // The bundle's recipients: the authority and the provider's escrow (same stanzas, same sizes).
        let recipients = try [identity + ".pub", fx.workspace.key("DEMO-escrow.age.pub")].flatMap { p in
            ["-r", try String(contentsOfFile: p, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)]
        }

        func decrypt(_ file: String) throws -> String {
            let r = try Run.command("age", ["-d", "-i", identity, bundle + "/" + file])
            try #require(r.status == 0, "\(r)")
            return r.stdout
        }
        func encrypt(_ text: String, _ file: String) throws {
            try Files.write(Array(text.utf8), dir("plain"))
            try FileManager.default.removeItem(atPath: bundle + "/" + file)
            let r = try Run.command("age", recipients + ["-o", bundle + "/" + file, dir("plain")])
            try #require(r.status == 0, "\(r)")
        }
        func b2(_ text: String) throws -> String {
            try Files.write(Array(text.utf8), dir("plain"))
            let r = try Run.command("b2sum", [dir("plain")])
            try #require(r.status == 0, "\(r)")
            return String(r.stdout.prefix(128))
        }

        let logins = try decrypt("data/logins.jsonl.age")
        let genuineIP = try #require(logins.range(of: "198.51.100.23"), "the fixture's logins hold the subject's address")
        let forgedLogins = logins.replacingCharacters(in: genuineIP, with: "198.51.100.99")
        var record = try decrypt("data/record.json.age")
        let oldDigest = try b2(logins), newDigest = try b2(forgedLogins)
        // Only the record's own digest member: the approved plan embedded in it stays as signed.
        let member = "\"plaintext_blake2b512\": \""
        try #require(record.contains(member + oldDigest))
        record = record.replacingOccurrences(of: member + oldDigest, with: member + newDigest)
        try encrypt(forgedLogins, "data/logins.jsonl.age")
        try encrypt(record, "data/record.json.age")

        // manifest-sha512.txt listing the forged payloads, in the genuine order.
        let genuine = try String(contentsOfFile: bundle + "/manifest-sha512.txt", encoding: .utf8)
        let paths = genuine.split(separator: "\n").map { String($0.split(separator: " ", omittingEmptySubsequences: true).last!) }
        let s = try Run.command("sha512sum", paths, in: bundle)
        try #require(s.status == 0, "\(s)")
        try #require(s.stdout != genuine)
        try s.stdout.write(toFile: forged + "/manifest-sha512.txt", atomically: true, encoding: .utf8)
    }

    /// The forgery is complete: with the forged manifest in place and the payloads as
    /// forged, only the tag manifest (the signed part) tells them apart.
    func verifyArguments(identity useIdentity: Bool, extract: String? = nil) -> [String] {
        ["verify", bundle, "--signer", signer] + (useIdentity ? ["--identity", identity] : []) + (extract.map { ["--extract", $0] } ?? [])
    }
}

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
