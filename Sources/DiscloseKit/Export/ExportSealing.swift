import Age
import Foundation
import Minisign
import Sodium

/// What the steps of `Exporter.export` hand each other, and its last steps: the
/// `exported` entry in the audit log, the clear documents, the signature, the placement.
extension Exporter {
    /// The approved plan as read once from its directory, and the case files it names.
    struct ApprovedPlan {
        var path: String
        var directory: DirectoryHandle
        var name: String
        var bytes: [UInt8]
        var caseNonce: String
        var files: CaseFiles
        /// The plan's digest: what approvals name and the audit log records.
        var sha512: String { PlanDigest.hex(bytes) }
    }

    /// The bundle's age recipients: as the policy writes them, parsed, and with the role
    /// `disclosure.json` gives each.
    struct Recipients {
        var strings: [String]
        var parsed: [Recipient]
        var roles: [(recipient: String, role: String)]
    }

    /// The case as scoped now, with the encrypted payload writers still to finish.
    struct Scoped {
        var outcome: CaseOutcome
        var writers: [(dataset: String, file: String, writer: HashingFileWriter)]
        var plaintextSizes: [String: Int]
    }

    /// The payload files: manifest lines, record entries, certificate entries, total bytes.
    struct Payloads {
        var payloads: [BundleDocuments.Payload] = []
        var certified: [CustodianCertificate.Entry] = []
        var manifest: [(path: String, sha512: String)] = []
        var bytes = 0
    }

    /// Everything the sealing steps need to know about this export.
    struct Sealing {
        var config: ProviderConfig
        var plan: ApprovedPlan
        var outcome: CaseOutcome
        var decision: Decision
        var approvals: ApprovalCheck
        var recipients: Recipients
        var bundleID: String
        var out: String
        var signingKey: SecretKey
        var now: Instant
        var practice: Bool
        var againReason: String?
    }

    /// Records the export in the audit log (its head goes into the bundle), writes the
    /// clear documents, signs the tag manifest and renames the bundle into place. From the
    /// audit entry on, a failure says so in the log (`export_failed`): the bundle never
    /// came into place; if this process dies first, the in-flight marker lets the next
    /// append say it. A practice export writes nothing to the log.
    static func sealAndPlace(_ s: Sealing, payloads: Payloads, log: AuditLog, partial: PartialDirectory) throws -> AuditLog.Head {
        let caseID = s.plan.files.request.id
        let inFlight = s.practice ? nil : try log.markExportInFlight(bundleID: s.bundleID, caseID: caseID)
        var sealed = false
        defer {
            if !sealed, let inFlight {
                if (try? log.record(.exportFailed, caseID: caseID, facts: [(.bundleID, .string(s.bundleID))])) != nil {
                    log.clearExportInFlight(inFlight)
                }
            }
        }
        let head = s.practice ? try log.verify().head : try recordInAudit(s, log: log)
        try writeDocuments(s, payloads: payloads, head: head, into: partial.path)
        // Into place, never replacing anything. The marker goes first: once it is gone
        // only a failure this process reports itself can undo the `exported` entry.
        if let inFlight { log.clearExportInFlight(inFlight) }
        try partial.place(syncing: ["data"])
        sealed = true
        return head
    }

    /// The `exported` entry, with its signed head; returns the head the bundle records.
    static func recordInAudit(_ s: Sealing, log: AuditLog) throws -> AuditLog.Head {
        let outcome = s.outcome, request = s.plan.files.request
        let contentDisclosed = outcome.datasets.contains { ds in
            ds.statistics.recordsDisclosed > 0 && ds.decision.fields.contains { $0.category == .content && $0.action != .withhold }
        }
        let facts: [(AuditFact, JSONOutput)] = [
            (.bundleID, .string(s.bundleID)), (.planSHA512, .string(s.plan.sha512)),
            (.authority, .string(request.authority)), (.country, .optional(s.decision.authority!.country)),
            (.instrument, .string(request.instrument.type)), (.verdict, .string(outcome.verdict.rawValue)),
            (.emergency, .bool(request.emergency != nil)),
            (.contentDisclosed, .bool(contentDisclosed)),
            (.accounts, .int(Set(outcome.subjects.flatMap(\.accounts)).count)),
            (.recordsDisclosed, .int(outcome.datasets.reduce(0) { $0 + $1.statistics.recordsDisclosed })),
            (.approvers, .array(s.approvals.valid.map { .string($0.publicKey.keyIDString) })),
            (.received, .string(request.received.description)),
            (.location, .string(URL(fileURLWithPath: s.out).standardizedFileURL.path)),
        ]
        return try log.appendExported(caseID: request.id, planSHA512: s.plan.sha512, againReason: s.againReason, time: s.now, facts: facts,
                                      key: s.signingKey)
    }

    /// The tag files (BagIt declaration and info, payload manifest, `disclosure.json`, the
    /// custodian's certificate, VERIFY.txt), the tag manifest and its signature.
    static func writeDocuments(_ s: Sealing, payloads p: Payloads, head: AuditLog.Head, into temp: String) throws {
        let config = s.config, files = s.plan.files, now = s.now
        let signingKeyID = s.signingKey.keyID.description, publicKey = s.signingKey.publicKey.base64
        let disclosure = BundleDocuments.manifest(outcome: s.outcome, bundleID: s.bundleID, created: now, provider: config.provider,
                                                  signingKeyID: signingKeyID, signingPublicKey: publicKey, recipients: s.recipients.roles,
                                                  approvals: s.approvals.valid, plan: s.plan.bytes,
                                                  payloads: p.payloads, auditHead: head, practice: s.practice)
        let tagFiles: [(String, String)] = [
            ("bagit.txt", BagIt.declaration),
            ("bag-info.txt", BagIt.info(organization: config.provider, externalIdentifier: files.request.id, date: now,
                                        payloadBytes: p.bytes, payloadFiles: p.manifest.count, bundleID: s.bundleID, software: ToolVersion.agent,
                                        practice: s.practice)),
            ("manifest-sha512.txt", BagIt.manifest(p.manifest)),
            ("disclosure.json", disclosure.json.pretty),
            (CustodianCertificate.fileName, CustodianCertificate.text(custodian: files.policy.custodian,
                                                                      jurisdiction: s.decision.instrument?.jurisdiction, provider: config.provider,
                                                                      bundleID: s.bundleID, requestID: files.request.id, date: now,
                                                                      entries: p.certified, practice: s.practice)),
            ("VERIFY.txt", VerifyInstructions.text(bundleID: s.bundleID, requestID: files.request.id, provider: config.provider,
                                                   signingKeyID: signingKeyID, signingPublicKey: publicKey)),
        ]
        var tagManifest: [(path: String, sha512: String)] = []
        for (name, text) in tagFiles {
            let bytes = Array(text.utf8)
            try AtomicFile.write(bytes, to: temp + "/" + name, mode: 0o644, overwrite: false)
            tagManifest.append((name, Hex.encode(SHA512.hash(bytes))))
        }
        try signTagManifest(s, Array(BagIt.manifest(tagManifest).utf8), into: temp)
    }

    /// `tagmanifest-sha512.txt` and the provider's minisign signature over it.
    static func signTagManifest(_ s: Sealing, _ tagManifest: [UInt8], into temp: String) throws {
        try AtomicFile.write(tagManifest, to: temp + "/tagmanifest-sha512.txt", mode: 0o644, overwrite: false)
        let comment = "timestamp:\(s.now.nanoseconds / 1_000_000_000)\tfile:tagmanifest-sha512.txt\tbundle:\(s.bundleID)\trequest:\(s.plan.files.request.id)"
        let signature = try s.signingKey.sign(tagManifest, trustedComment: comment,
                                              untrustedComment: "signature from \(s.config.provider) (disclose bundle \(s.bundleID))")
        try AtomicFile.write(Array(signature.fileContents.utf8), to: temp + "/tagmanifest-sha512.txt.minisig", mode: 0o644, overwrite: false)
    }
}
