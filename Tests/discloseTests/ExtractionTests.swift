import DiscloseTestSupport
import DiscloseKit
import Foundation
import Testing

/// `verify --extract` (issue 13.4): the directory is created by verify itself (0700,
/// refused if anything exists there) and files get their final names only after every
/// check held; `decrypt --output` never replaces a file (issue 13.8).
@Suite("Extraction and decrypt outputs")
struct ExtractionTests {
    @Test("an existing --extract directory (e.g. pre-created by another user) is refused with exit 2 and receives nothing")
    func existingDirectoryRefused() throws {
        let fx = try TamperFixture.shared()
        let dir = try TempDir("disclose-extract")
        let target = dir("x")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o777])
        let v = try Run.disclose(["verify", fx.bundleA, "--signer", fx.workspace.key("DEMO-provider.pub"),
                                  "--identity", fx.workspace.key("DEMO-authority-fr.age"), "--extract", target], in: dir.path)
        #expect(v.status == 2, "\(v)")
        #expect(v.stderr.contains("disclose: error: \(target): already exists"), "\(v)")
        #expect(Files.names(target).isEmpty)

        // A link planted at the path is refused the same way (mkdir does not follow it).
        try FileManager.default.createSymbolicLink(atPath: dir("link"), withDestinationPath: dir("elsewhere"))
        let l = try Run.disclose(["verify", fx.bundleA, "--signer", fx.workspace.key("DEMO-provider.pub"),
                                  "--identity", fx.workspace.key("DEMO-authority-fr.age"), "--extract", dir("link")], in: dir.path)
        #expect(l.status == 2, "\(l)")
        #expect(!Files.exists(dir("elsewhere")))
    }

    @Test("the library refuses an --extract directory that appeared after the command-line check (the race), writing nothing into it")
    func libraryCreatesTheDirectoryItself() throws {
        let fx = try TamperFixture.shared()
        let dir = try TempDir("disclose-extract")
        let target = dir("x")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o777])
        let signer = try KeyFiles.publicKey(fx.workspace.key("DEMO-provider.pub"))
        let ids = try KeyFiles.identities(paths: [fx.workspace.key("DEMO-authority-fr.age")])
        #expect(throws: InputError.self) { _ = try BundleVerifier.verify(bundle: fx.bundleA, signer: signer, identities: ids, extractTo: target) }
        #expect(Files.names(target).isEmpty, "nothing extracted into a directory verify did not create")
    }

    @Test("a good bundle extracts into a new 0700 directory, files 0600, no temporary names left")
    func goodExtraction() throws {
        let fx = try TamperFixture.shared()
        let dir = try TempDir("disclose-extract")
        let v = try Run.disclose(["verify", fx.bundleA, "--signer", fx.workspace.key("DEMO-provider.pub"),
                                  "--identity", fx.workspace.key("DEMO-authority-fr.age"), "--extract", dir("x")], in: dir.path)
        #expect(v.status == 0, "\(v)")
        #expect(Files.names(dir("x")) == ["accounts.jsonl", "files.csv", "logins.jsonl", "messages.jsonl", "record.json", "summary.html"])
        var st = stat()
        #expect(stat(dir("x"), &st) == 0 && st.st_mode & 0o777 == 0o700)
        for name in Files.names(dir("x")) { #expect(stat(dir("x/" + name), &st) == 0 && st.st_mode & 0o777 == 0o600, "\(name)") }
    }

    @Test("a forged payload that decrypts and matches a forged manifest never appears under its final name; the directory is removed")
    func forgedPayloadNeverPlaced() throws {
        guard try StockTool.require(.age, .b2sum, .sha512sum) else { return }
        let fx = try TamperFixture.shared()
        let dir = try TempDir("disclose-extract")
        let f = try ForgedBundle(fx, in: dir)
        // The forged manifest in place: the tag manifest check fails, but the forged
        // logins decrypt, match the forged manifest and the forged record.
        try FileManager.default.removeItem(atPath: f.bundle + "/manifest-sha512.txt")
        try FileManager.default.copyItem(atPath: f.forged + "/manifest-sha512.txt", toPath: f.bundle + "/manifest-sha512.txt")
        let signer = try KeyFiles.publicKey(f.signer)
        let ids = try KeyFiles.identities(paths: [f.identity])
        let report = try BundleVerifier.verify(bundle: f.bundle, signer: signer, identities: ids, extractTo: dir("x"))
        #expect(!report.ok)
        #expect(report.checks.contains { $0.name == "data/logins.jsonl.age" && $0.ok && $0.detail.hasPrefix("decrypted and authenticated") },
                "the forged payload itself checks out against the forged manifest and record")
        #expect(report.extracted.isEmpty)
        #expect(!Files.exists(dir("x")), "left behind: \(Files.names(dir("x")))")
    }

    @Test("decrypt --output refuses an existing file — even the identity itself — with exit 2; a new output is created 0600")
    func decryptNeverReplaces() throws {
        let fx = try TamperFixture.shared()
        let dir = try TempDir("disclose-decrypt-out")
        let identity = dir("id.age")
        try FileManager.default.copyItem(atPath: fx.workspace.key("DEMO-authority-fr.age"), toPath: identity)
        let before = try Files.bytes(identity)
        let input = fx.bundleA + "/data/files.csv.age"
        for args in [["decrypt", "--identity", identity, "--output", identity, input],
                     ["decrypt", "--identity", identity, "--output", identity]] {
            let r = try Run.command("/bin/sh", ["-c", "exec \"$0\" \"$@\" < '\(input)'", Binary.disclose] + args, in: dir.path)
            #expect(r.status == 2, "\(r)")
            #expect(r.stderr.contains("disclose: error: \(identity): already exists; decrypt never replaces a file"), "\(r)")
            #expect(r.stderr.contains("disclose: hint: choose a new --output path"), "\(r)")
            #expect(try Files.bytes(identity) == before, "the identity file is untouched")
        }
        let ok = try Run.disclose(["decrypt", "--identity", identity, "--output", dir("files.csv"), input], in: dir.path)
        #expect(ok.status == 0, "\(ok)")
        var st = stat()
        #expect(stat(dir("files.csv"), &st) == 0 && st.st_mode & 0o777 == 0o600)
        #expect(Files.names(dir.path) == ["files.csv", "id.age"], "no temporary file left")
    }
}
