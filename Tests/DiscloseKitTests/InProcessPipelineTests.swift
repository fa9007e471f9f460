import DiscloseTestSupport
import Foundation
import Primitives
import Testing
@testable import DiscloseKit

/// Plan, approve, export and verify through DiscloseKit itself, in this process, on a copy
/// of example case 1: the library alone gives the checked-in golden plan, a bundle that
/// `BundleVerifier` accepts, and a refusal for a bundle with one flipped byte.
@Suite("Plan, export and verify in process")
struct InProcessPipelineTests {
    static let caseName = "01-eu-epoc-paris"
    /// The golden plans' case nonce (see discloseTests' GoldenPlanTests).
    static let caseNonce = String(repeating: "0123456789abcdef", count: 4)
    static let golden = Binary.packageRoot + "/Tests/discloseTests/Golden/\(caseName).plan.json"

    /// The plan of case 1 in `ws`, with the golden nonce recorded in its audit log.
    static func plan(_ ws: Workspace) throws -> (config: ProviderConfig, files: CaseFiles, bytes: [UInt8]) {
        let config = try ProviderConfig.load(path: ws.example("disclose.json"))
        let files = try CaseFiles.load(config: config, requestPath: ws.example("cases/\(caseName)/request.json"))
        try AuditLog(path: config.auditLogPath).append(event: "planned", caseID: files.request.id, facts: [
            (CaseNonce.factName, .string(files.request.canonicalDigest)), ("case_nonce", .string(caseNonce)),
        ])
        let secret = try PseudonymKey.loadSecret(path: config.pseudonymSecretPath)
        let outcome = try CaseProcessor.run(files, now: .now, pseudonymSecret: secret, caseNonce: caseNonce) { _, _ in nil }
        return (config, files, PlanDocument.bytes(outcome, practice: false))
    }

    @Test("the library's plan of case 1 is the golden plan, byte for byte")
    func planIsGolden() throws {
        let ws = try Workspace("disclose-inprocess")
        let (_, _, bytes) = try Self.plan(ws)
        #expect(bytes == Array(try Data(contentsOf: URL(fileURLWithPath: Self.golden))))
    }

    @Test("approve and export in process give a bundle BundleVerifier accepts; one flipped byte is refused")
    func exportAndVerify() throws {
        let ws = try Workspace("disclose-inprocess")
        let (config, files, bytes) = try Self.plan(ws)
        let planPath = ws.output("plan.json")
        try AtomicFile.write(bytes, to: planPath, overwrite: false)
        let policy = try Policy.load(path: config.policyPath)
        let log = AuditLog(path: config.auditLogPath)
        for reviewer in ["DEMO-reviewer-legal.key", "DEMO-reviewer-privacy.key"] {
            let key = try KeyFiles.signingKey(path: ws.key(reviewer)) { throw InputError(file: reviewer, message: "demo keys have no passphrase") }.key
            let earlier = try DecisionRecording.admit(plan: bytes, planPath: planPath, planVerdict: "disclose", verdict: .approve,
                                                      key: key.publicKey, policy: (policy, config.policyPath), log: log, replace: false)
            let approval = try Approval.sign(plan: bytes, key: key, verdict: .approve, reason: nil)
            _ = try DecisionRecording.record(approval, key: key.publicKey, planPath: planPath, caseID: files.request.id, earlier: earlier, log: log, policy: policy)
        }
        let provider = try KeyFiles.signingKey(path: ws.key("DEMO-provider.key")) { throw InputError(file: "provider", message: "no passphrase") }.key
        let bundle = ws.output("bundle")
        let result = try Exporter.export(config: config, planPath: planPath, out: bundle, signingKey: provider, tar: false,
                                         practice: false, againReason: nil)
        #expect(result.bundlePath == bundle)
        #expect(Files.tree(bundle).contains("tagmanifest-sha512.txt.minisig"))

        let signer = try KeyFiles.publicKey(ws.key("DEMO-provider.pub"))
        let identities = try KeyFiles.identities(paths: [ws.key("DEMO-authority-fr.age")])
        let report = try BundleVerifier.verify(bundle: bundle, signer: signer, identities: identities, extractTo: nil)
        #expect(report.ok, "\(report.checks.filter { !$0.ok }.map(\.detail))")
        #expect(report.requestID == files.request.id)

        // One flipped byte in the middle of an encrypted payload: not verified.
        let altered = ws.output("altered")
        try FileManager.default.copyItem(atPath: bundle, toPath: altered)
        let payload = altered + "/" + (try #require(Files.tree(altered).first { $0.hasPrefix("data/") && $0.hasSuffix(".age") }))
        var b = try Files.bytes(payload)
        b[b.count / 2] ^= 0x01
        try Files.write(b, payload)
        let refused: Bool
        do { refused = !(try BundleVerifier.verify(bundle: altered, signer: signer, identities: identities, extractTo: nil).ok) } catch { refused = true }
        #expect(refused, "a bundle with one flipped byte must not verify")
    }
}
