import Age
import DiscloseKit
import Foundation
import Minisign
import Sodium

/// What each fuzz target feeds to which public entry point. Every function takes the
/// fuzz input, calls the product's own API and ignores thrown errors: a thrown error is
/// the correct answer to bad input, a crash (trap, sanitizer report, timeout, leak) is a
/// finding. Where a cheap invariant exists it is checked and a violation aborts, so it is
/// reported like a crash. Tests/DiscloseKitTests/FuzzRegressionTests.swift feeds the
/// committed crash inputs to the same entry points.
///
/// Fixtures come from the repository (found from this file's path) and, for `verify`,
/// from a bundle made by scripts/fuzz.sh (DISCLOSE_FUZZ_BUNDLE, DISCLOSE_FUZZ_SIGNER,
/// DISCLOSE_FUZZ_IDENTITY).
public enum Harness {
    /// The repository root: three levels above Fuzz/Sources/FuzzHarness/.
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A per-process scratch directory (libFuzzer -jobs/-workers run several processes).
    static let scratch: URL = {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("disclose-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }()

    static func bytes(_ data: UnsafeRawBufferPointer) -> [UInt8] { Array(data) }

    static func writeScratch(_ name: String, _ data: UnsafeRawBufferPointer) -> URL {
        let url = scratch.appendingPathComponent(name)
        writeFile(url, data)
        return url
    }

    static func path(_ s: String) -> FieldPath { FieldPath(parsing: s)! }

    static let pseudonymKey = SecretBytes(copying: [UInt8](repeating: 7, count: 32))
    static let window = Instant(nanoseconds: 1_700_000_000 * 1_000_000_000)...Instant(nanoseconds: 1_900_000_000 * 1_000_000_000)

    // MARK: datasets

    /// `scopeDataset` on a JSON Lines dataset whose one file is the input. The time
    /// format rotates with the input length so all three time parsers are reached.
    public static func jsonl(_ data: UnsafeRawBufferPointer) {
        let url = writeScratch("input.jsonl", data)
        let (timeField, format): (String, TimeFormat) = [("ts", .rfc3339), ("sent_at", .epochMillis), ("created", .epochSeconds)][data.count % 3]
        let scope = DatasetScope(
            name: "fuzz", format: .jsonl, files: [url], accountField: path("account_id"), timeField: path(timeField),
            timeFormat: format, window: window, accounts: ["acc_2425", "acc_1300", "acc_1042", "acc_2045", "1"],
            actions: [path("account_id"): .disclose, path(timeField): .disclose, path("ip"): .ipPrefix,
                      path("from"): .pseudonymize, path("to[]"): .pseudonymize, path("cc[]"): .mask,
                      path("subject"): .mask, path("body"): .withhold, path("headers.user_agent"): .disclose,
                      path("attachments[].filename"): .disclose, path("email"): .mask, path("phone"): .pseudonymize,
                      path("profile.display_name"): .disclose, path("user_agent"): .disclose],
            pseudonymKey: pseudonymKey)
        sameForEveryJobs(scope, "jsonl")
        var whole: [UInt8] = []
        let wholeStats = try? scopeDataset(scope) { whole.append(contentsOf: $0) }
        // Each line on its own (a fresh scanner, nothing remembered from the record
        // before) must give the same verdict and, together, the same bytes: the
        // scanner's shortcuts for repeated record shapes may not change an answer.
        var parts: [UInt8] = []
        var scanned = 0
        var failed = false
        let lines = bytes(data).split(separator: 0x0A, omittingEmptySubsequences: false)
        for (n, line) in lines.enumerated() {
            // A byte order mark counts only at the start of the file.
            if n > 0 && line.starts(with: [0xEF, 0xBB, 0xBF]) { failed = true; break }
            let lineURL = line.withUnsafeBytes { writeScratch("line.jsonl", $0) }
            var lineScope = scope
            lineScope.files = [lineURL]
            guard let stats = try? scopeDataset(lineScope, sink: { parts.append(contentsOf: $0) }) else { failed = true; break }
            scanned += stats.recordsScanned
        }
        if (wholeStats == nil) != failed { fatalError("jsonl: the file and its lines one by one disagree on validity") }
        if let wholeStats, wholeStats.recordsScanned != scanned || whole != parts {
            fatalError("jsonl: the file and its lines one by one give different output")
        }
        // verify's field check must accept every scoped output (it holds only fields the
        // actions disclose or transform), and must survive any input.
        let declared = Set(scope.actions.filter { $0.value != .withhold }.map { $0.key.description })
        if wholeStats != nil {
            let checker = FieldChecker(declared: declared, csv: false)
            do {
                try whole.withUnsafeBytes { try checker.feed($0) }
                try checker.finish()
            } catch {
                fatalError("jsonl: verify's field check rejects scoped output: \(error)")
            }
        }
        let raw = FieldChecker(declared: declared, csv: false)
        _ = try? raw.feed(data)
        _ = try? raw.finish()
    }

    /// `scopeDataset` on a CSV dataset whose one file is the input.
    public static func csv(_ data: UnsafeRawBufferPointer) {
        let url = writeScratch("input.csv", data)
        let scope = DatasetScope(
            name: "fuzz", format: .csv, files: [url], accountField: path("account_id"), timeField: path("uploaded_at"),
            timeFormat: data.count % 2 == 0 ? .epochSeconds : .rfc3339, window: window,
            accounts: ["acc_2045", "acc_1300", "1"],
            actions: [path("account_id"): .disclose, path("uploaded_at"): .disclose, path("filename"): .mask,
                      path("size_bytes"): .disclose, path("sha256"): .withhold, path("shared_with"): .pseudonymize,
                      path("client_ip"): .ipPrefix],
            pseudonymKey: pseudonymKey)
        sameForEveryJobs(scope, "csv")
    }

    /// The parallel scan (#19): one thread and three threads over 64-byte segments (so
    /// that fuzz inputs are cut many times) must give the same bytes, counts and error.
    static func sameForEveryJobs(_ scope: DatasetScope, _ target: String) {
        func run(_ jobs: Int) -> (out: [UInt8], stats: DatasetStatistics?, error: String?) {
            var s = scope
            s.jobs = jobs
            s.segmentBytes = 64
            var out: [UInt8] = []
            do {
                let stats = try scopeDataset(s) { out.append(contentsOf: $0) }
                return (out, stats, nil)
            } catch {
                return ([], nil, "\(error)")
            }
        }
        let one = run(1), three = run(3)
        if one.out != three.out || one.stats != three.stats || one.error != three.error {
            fatalError("\(target): jobs 1 and jobs 3 differ: \(one.error ?? "ok") / \(three.error ?? "ok")")
        }
    }

    // MARK: age

    /// The identity of the C2SP/CCTV age test vectors, which seed the age corpora.
    public static let identity = try! Identity(parsing: "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0")

    /// A whole binary age file: header parser, stanza unwrapping, payload.
    public static func ageHeader(_ data: UnsafeRawBufferPointer) {
        _ = try? Decryptor(identities: [identity], format: .binary).decrypt(bytes(data))
    }

    /// An ASCII-armored age file (armor decoder, then the binary path).
    public static func ageArmor(_ data: UnsafeRawBufferPointer) {
        _ = try? Decryptor(identities: [identity], format: .armored).decrypt(bytes(data))
        _ = try? Decryptor(identities: [identity], format: .detect).decrypt(bytes(data))
    }

    /// A valid header for `identity` (fixed file key, via the product's Encryptor),
    /// without its payload: the input is everything after "--- mac\n".
    static let validHeader: [UInt8] = {
        let file = try! Encryptor.encrypt([], to: [identity.recipient])
        let marker = Array("\n--- ".utf8)
        var i = 0
        while Array(file[i..<(i + marker.count)]) != marker { i += 1 }
        var end = i + marker.count
        while file[end] != 0x0A { end += 1 }
        return Array(file[...end])
    }()

    /// The payload reader: a valid header, then the input as nonce and chunks. With the
    /// first input byte odd, the rest is encrypted for real and then cut and flipped as
    /// the next bytes say, so valid chunk structure with late damage is reached too.
    public static func agePayload(_ data: UnsafeRawBufferPointer) {
        if let first = data.first, first & 1 == 1, data.count >= 5 {
            let cut = Int(data[1]) << 8 | Int(data[2])
            let flip = Int(data[3]) << 8 | Int(data[4])
            let plaintext = Array(data[5...]) + [UInt8](repeating: data[4], count: Int(first >> 1) * 1024)
            guard var file = try? Encryptor.encrypt(plaintext, to: [identity.recipient]) else { fatalError("encrypt failed") }
            let original = file
            if flip < file.count { file[flip] ^= 0x01 }
            if cut > 0, cut < file.count { file.removeLast(cut) }
            let out = try? Decryptor(identities: [identity], format: .binary).decrypt(file)
            if file == original {
                guard out == plaintext else { fatalError("round trip lost the plaintext") }
            } else if out != nil {
                fatalError("a damaged age file decrypted")
            }
            return
        }
        _ = try? Decryptor(identities: [identity], format: .binary).decrypt(validHeader + bytes(data))
    }

    // MARK: minisign

    static let signer = try! PublicKey(fileContents: try! Data(contentsOf: repoRoot.appendingPathComponent("Tests/MinisignTests/Vectors/TEST-unprotected.pub")))
    static let message = Array(try! Data(contentsOf: repoRoot.appendingPathComponent("Tests/MinisignTests/Vectors/message.txt")))

    /// The three minisign parsers on the same input; a parsed public key must survive a
    /// round trip, a parsed signature is checked against the test key.
    public static func minisign(_ data: UnsafeRawBufferPointer) {
        let input = bytes(data)
        if let key = try? PublicKey(fileContents: input) {
            guard let again = try? PublicKey(fileContents: key.fileContents()), again == key else { fatalError("public key round trip") }
        }
        _ = try? SecretKey.isEncrypted(fileContents: input)
        _ = try? SecretKey(fileContents: input)
        if let sig = try? Signature(fileContents: input) {
            _ = try? signer.verify(sig, message: message, allowLegacy: true)
            guard let again = try? Signature(fileContents: sig.fileContents), again == sig else { fatalError("signature round trip") }
        }
    }

    // MARK: documents

    /// `DocumentJSON.parse`, then the request, data map and policy loaders on the result.
    public static func documents(_ data: UnsafeRawBufferPointer) {
        guard let root = try? DocumentJSON.parse(bytes(data), file: "fuzz.json") else { return }
        _ = try? Request.parse(root, file: "fuzz.json")
        _ = try? DataMap.parse(root, file: "fuzz.json")
        _ = try? Policy.parse(root, file: "fuzz.json")
    }

    // MARK: HI-1

    static let policy = try! Policy.load(path: repoRoot.appendingPathComponent("Examples/policy.json").path)

    static let parisMessage = try! HI1Reader.read(FileBytes.read(path: repoRoot.appendingPathComponent("Examples/hi1/fr-tj-paris-epoc.xml").path,
                                                                  limit: 1 << 20), file: "paris.xml")

    /// StrictXML and every HI-1 message kind Disclose reads: the request reader and its
    /// mapping under the example policy, the UPDATE reader (applied to the Paris example),
    /// and the delivery-part reader with its part manifest.
    public static func hi1(_ data: UnsafeRawBufferPointer) {
        let input = bytes(data)
        if let update = try? HI1UpdateReader.read(input, file: "fuzz.xml"), let merged = try? update.apply(to: parisMessage, file: "fuzz.xml") {
            _ = try? HI1Mapping.request(from: merged, policy: policy, file: "fuzz.xml")
        }
        if let part = try? HI1DeliveryPart.read(input, file: "fuzz.xml") { _ = HI1PartManifest.parse(part.manifest.text) }
        _ = HI1PartManifest.parse(String(decoding: input, as: UTF8.self))
        guard let message = try? HI1Reader.read(input, file: "fuzz.xml") else { return }
        _ = try? HI1Mapping.taskScopes(message, file: "fuzz.xml")
        _ = try? HI1Mapping.request(from: message, policy: policy, file: "fuzz.xml")
    }

    // MARK: verify

    struct BundleFixture {
        var root: URL
        var files: [String]
        var originals: [[UInt8]]
        var signer: PublicKey
        var identities: [Identity]
    }

    static func env(_ name: String) -> String {
        guard let v = ProcessInfo.processInfo.environment[name] else { fatalError("\(name) is not set (run scripts/fuzz.sh)") }
        return v
    }

    /// A private copy of the bundle made by scripts/fuzz.sh, with its files listed.
    static let fixture: BundleFixture = {
        let source = URL(fileURLWithPath: env("DISCLOSE_FUZZ_BUNDLE"))
        let root = scratch.appendingPathComponent("bundle")
        try? FileManager.default.removeItem(at: root)
        try! FileManager.default.copyItem(at: source, to: root)
        var files: [String] = []
        let e = FileManager.default.enumerator(atPath: root.path)!
        while let f = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: root.appendingPathComponent(f).path, isDirectory: &isDir), !isDir.boolValue { files.append(f) }
        }
        files.sort()
        let originals = files.map { Array(try! Data(contentsOf: root.appendingPathComponent($0))) }
        let signer = try! PublicKey(fileContents: try! Data(contentsOf: URL(fileURLWithPath: env("DISCLOSE_FUZZ_SIGNER"))))
        let identities = try! IdentityFile(contentsOf: URL(fileURLWithPath: env("DISCLOSE_FUZZ_IDENTITY"))).identities
        let report = try! BundleVerifier.verify(bundle: root.path, signer: signer, identities: identities, extractTo: nil)
        guard report.ok else { fatalError("the fixture bundle does not verify:\n\(report.text)") }
        return BundleFixture(root: root, files: files, originals: originals, signer: signer, identities: identities)
    }()

    /// `BundleVerifier.verify` on the fixture bundle with one file (chosen by the first
    /// input byte's low 7 bits) replaced by the rest of the input; with its high bit set
    /// the verifier also decrypts (slower, so only half the time). A bundle that differs
    /// from the signed one must never verify.
    public static func verify(_ data: UnsafeRawBufferPointer) {
        guard let first = data.first else { return }
        let f = fixture
        let index = Int(first & 0x7F) % f.files.count
        let identities = first & 0x80 != 0 ? f.identities : []
        let url = f.root.appendingPathComponent(f.files[index])
        let replacement = Array(data.dropFirst())
        replacement.withUnsafeBytes { writeFile(url, $0) }
        defer { f.originals[index].withUnsafeBytes { writeFile(url, $0) } }
        let report = try! BundleVerifier.verify(bundle: f.root.path, signer: f.signer, identities: identities, extractTo: nil)
        if replacement != f.originals[index], report.ok, !sameSignedContent(f.files[index], replacement, f.originals[index]) {
            fatalError("a bundle with \(f.files[index]) replaced verified")
        }
    }

    /// The one legitimate way a verifying bundle can differ from the signed one: the
    /// signature file's untrusted comment (line 1), which minisign does not sign, and
    /// its line ends. Everything signed must be identical.
    static func sameSignedContent(_ name: String, _ replacement: [UInt8], _ original: [UInt8]) -> Bool {
        guard name == "tagmanifest-sha512.txt.minisig",
              let a = try? Signature(fileContents: replacement), let b = try? Signature(fileContents: original) else { return false }
        return a.algorithm == b.algorithm && a.keyID == b.keyID && a.ed25519Signature == b.ed25519Signature
            && a.trustedComment == b.trustedComment && a.globalSignature == b.globalSignature
    }

    static func writeFile(_ url: URL, _ data: UnsafeRawBufferPointer) {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0, "cannot write \(url.path)")
        var off = 0
        while off < data.count {
            let n = write(fd, data.baseAddress! + off, data.count - off)
            precondition(n > 0, "short write to \(url.path)")
            off += n
        }
        close(fd)
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// Runs libFuzzer's driver with `callback` as the target (called from each executable's
/// entry point, since SwiftPM points `main` there rather than at libFuzzer's `main`).
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, callback)
}
