import DiscloseTestSupport
import Age
import DiscloseKit
import Foundation
import Minisign
import Sodium
import Testing

/// Every file under FuzzRegressions/TARGET/ goes to the entry point the fuzz target
/// TARGET exercises (Fuzz/Sources/FuzzHarness/Harness.swift, same scopes and keys) and
/// must be rejected with a thrown error — not a crash, hang or sanitizer report.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let directory = Binary.packageRoot + "/Tests/discloseTests/FuzzRegressions"
    static let targets = ["jsonl", "csv", "age-header", "age-armor", "age-payload", "minisign", "documents", "hi1", "verify"]

    struct Input: Sendable, CustomTestStringConvertible {
        var target: String
        var name: String
        var testDescription: String { "\(target)/\(name)" }
        var bytes: [UInt8] { get throws { try Files.bytes(FuzzRegressionTests.directory + "/\(target)/\(name)") } }
    }

    static let inputs: [Input] = targets.flatMap { t in
        Files.names(directory + "/" + t).filter { !$0.hasPrefix(".") }.map { Input(target: t, name: $0) }
    }

    @Test("each fuzz target has committed regression inputs")
    func everyTargetHasInputs() {
        for t in Self.targets { #expect(Self.inputs.contains { $0.target == t }, "no inputs for \(t)") }
    }

    static func path(_ s: String) -> FieldPath { FieldPath(parsing: s)! }
    static let window = Instant(nanoseconds: 1_700_000_000 * 1_000_000_000)...Instant(nanoseconds: 1_900_000_000 * 1_000_000_000)
    static let identity = try! Identity(parsing: "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0")

    /// The dataset scope of the jsonl / csv fuzz target over one file.
    static func scope(_ format: DataFormat, file: URL, size: Int) -> DatasetScope {
        if format == .csv {
            return DatasetScope(name: "fuzz", format: .csv, files: [file], accountField: path("account_id"), timeField: path("uploaded_at"),
                                timeFormat: size % 2 == 0 ? .epochSeconds : .rfc3339, window: window, accounts: ["acc_2045", "acc_1300", "1"],
                                actions: [path("account_id"): .disclose, path("uploaded_at"): .disclose, path("filename"): .mask,
                                          path("size_bytes"): .disclose, path("sha256"): .withhold, path("shared_with"): .pseudonymize,
                                          path("client_ip"): .ipPrefix],
                                pseudonymKey: SecretBytes(copying: [UInt8](repeating: 7, count: 32)))
        }
        let (timeField, timeFormat): (String, TimeFormat) = [("ts", .rfc3339), ("sent_at", .epochMillis), ("created", .epochSeconds)][size % 3]
        return DatasetScope(name: "fuzz", format: .jsonl, files: [file], accountField: path("account_id"), timeField: path(timeField),
                            timeFormat: timeFormat, window: window, accounts: ["acc_2425", "acc_1300", "acc_1042", "acc_2045", "1"],
                            actions: [path("account_id"): .disclose, path(timeField): .disclose, path("ip"): .ipPrefix,
                                      path("from"): .pseudonymize, path("to[]"): .pseudonymize, path("cc[]"): .mask,
                                      path("subject"): .mask, path("body"): .withhold, path("headers.user_agent"): .disclose,
                                      path("attachments[].filename"): .disclose, path("email"): .mask, path("phone"): .pseudonymize,
                                      path("profile.display_name"): .disclose, path("user_agent"): .disclose],
                            pseudonymKey: SecretBytes(copying: [UInt8](repeating: 7, count: 32)))
    }

    /// A valid age header for `identity`, without payload (the age-payload target's prefix).
    static func validHeader() throws -> [UInt8] {
        let file = try Encryptor.encrypt([], to: [identity.recipient])
        let text = Array("\n--- ".utf8)
        let i = try #require(file.indices.first { file[$0...].starts(with: text) })
        let end = try #require(file[(i + text.count)...].firstIndex(of: 0x0A))
        return Array(file[...end])
    }

    /// The one legitimate difference in a verifying bundle (as in the fuzz harness): the
    /// signature file's untrusted comment, which minisign does not sign.
    static func sameSignedContent(_ path: String, _ replacement: [UInt8], _ original: [UInt8]) -> Bool {
        guard path.hasSuffix("/tagmanifest-sha512.txt.minisig"),
              let a = try? Signature(fileContents: replacement), let b = try? Signature(fileContents: original) else { return false }
        return a.algorithm == b.algorithm && a.keyID == b.keyID && a.ed25519Signature == b.ed25519Signature
            && a.trustedComment == b.trustedComment && a.globalSignature == b.globalSignature
    }

    /// A bundle of case 1 made by the real binary, shared by the verify inputs.
    final class BundleFixture: @unchecked Sendable {
        let workspace: Workspace
        let bundle: String
        init() throws {
            workspace = try Workspace("disclose-fuzzreg")
            bundle = try workspace.exportedBundle()
        }
        static let shared = Result { try BundleFixture() }
    }

    @Test("the input is rejected with an error by the fuzz target's entry point", arguments: inputs)
    func rejected(_ input: Input) throws {
        let bytes = try input.bytes
        switch input.target {
        case "jsonl", "csv":
            let temp = try TempDir("disclose-fuzzreg")
            let file = temp("input." + input.target)
            try Files.write(bytes, file)
            #expect(throws: (any Error).self) {
                _ = try scopeDataset(Self.scope(input.target == "csv" ? .csv : .jsonl, file: URL(fileURLWithPath: file), size: bytes.count)) { _ in }
            }
            // The parallel scan (#19) finds the same error with one thread and with three
            // over 64-byte segments, as the fuzz target checks.
            var errors: [String] = []
            for jobs in [1, 3] {
                var scope = Self.scope(input.target == "csv" ? .csv : .jsonl, file: URL(fileURLWithPath: file), size: bytes.count)
                scope.jobs = jobs
                scope.segmentBytes = 64
                do { _ = try scopeDataset(scope) { _ in }; errors.append("none") } catch { errors.append("\(error)") }
            }
            #expect(errors[0] == errors[1])
        case "age-header":
            #expect(throws: (any Error).self) { _ = try Decryptor(identities: [Self.identity], format: .binary).decrypt(bytes) }
        case "age-armor":
            #expect(throws: (any Error).self) { _ = try Decryptor(identities: [Self.identity], format: .armored).decrypt(bytes) }
            #expect(throws: (any Error).self) { _ = try Decryptor(identities: [Self.identity], format: .detect).decrypt(bytes) }
        case "age-payload":
            let header = try Self.validHeader()
            #expect(throws: (any Error).self) { _ = try Decryptor(identities: [Self.identity], format: .binary).decrypt(header + bytes) }
        case "minisign":
            #expect(throws: (any Error).self) { _ = try PublicKey(fileContents: bytes) }
            #expect(throws: (any Error).self) { _ = try SecretKey(fileContents: bytes) }
            #expect(throws: (any Error).self) { _ = try Signature(fileContents: bytes) }
        case "documents":
            #expect(throws: (any Error).self) {
                let root = try DocumentJSON.parse(bytes, file: input.name)
                _ = try Request.parse(root, file: input.name)
            }
            if let root = try? DocumentJSON.parse(bytes, file: input.name) {
                #expect(throws: (any Error).self) { _ = try DataMap.parse(root, file: input.name) }
                #expect(throws: (any Error).self) { _ = try Policy.parse(root, file: input.name) }
            }
        case "hi1":
            let policy = try Policy.load(path: Binary.packageRoot + "/Examples/policy.json")
            #expect(throws: (any Error).self) {
                let message = try HI1Reader.read(bytes, file: input.name)
                _ = try HI1Mapping.request(from: message, policy: policy, file: input.name)
            }
            // The other message kinds refuse the same hostile inputs.
            #expect(throws: (any Error).self) { _ = try HI1UpdateReader.read(bytes, file: input.name) }
            #expect(throws: (any Error).self) { _ = try HI1DeliveryPart.read(bytes, file: input.name) }
        case "verify":
            let fixture = try BundleFixture.shared.get()
            let copy = try TempDir("disclose-fuzzreg-bundle")
            let root = copy("bundle")
            try FileManager.default.copyItem(atPath: fixture.bundle, toPath: root)
            let files = Files.tree(root)
            let first = try #require(bytes.first)
            let target = root + "/" + files[Int(first & 0x7F) % files.count]
            let original = try Files.bytes(target)
            try Files.write(Array(bytes.dropFirst()), target)
            let identities = first & 0x80 != 0 ? try KeyFiles.identities(paths: [fixture.workspace.key("DEMO-authority-fr.age")]) : []
            let signer = try KeyFiles.publicKey(fixture.workspace.key("DEMO-provider.pub"))
            let report = try BundleVerifier.verify(bundle: root, signer: signer, identities: identities, extractTo: nil)
            let replacement = Array(bytes.dropFirst())
            #expect(replacement == original || !report.ok || Self.sameSignedContent(target, replacement, original),
                    "a bundle with \(target) replaced verified")
        default:
            Issue.record("unknown target directory \(input.target)")
        }
    }
}
