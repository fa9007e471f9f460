import Age
import Foundation
import Minisign
import Sodium

/// What `export` produced.
public struct ExportResult: Sendable {
    /// The finished bundle directory.
    public var bundlePath: String
    /// The bundle id.
    public var bundleID: String
    /// The case as exported.
    public var outcome: CaseOutcome
    /// The approvals that authorized it.
    public var approvals: [CheckedApproval]
    /// The audit log head recorded in the bundle.
    public var auditHead: AuditLog.Head
    /// The tar file, when asked for.
    public var tarPath: String?
    /// Signature files next to the plan that did not count, each with why (e.g. a trusted
    /// reviewer's statement that is not a Disclose approval): shown, never silently ignored.
    public var approvalProblems: [String] = []
}

/// `export`: checks the approvals, recomputes the plan through the one decision path
/// while streaming the scoped data straight into age encryption, refuses unless the plan
/// is byte-identical to the approved one, and seals a signed BagIt bundle — written under
/// a temporary name and renamed into place only when complete.
public enum Exporter {
    /// Exports the approved plan at `planPath` to a new bundle directory `out`. With
    /// `practice` the plan must be a practice plan, the bundle is marked PRACTICE and the
    /// audit log is not written; without it a plan already exported is refused unless
    /// `againReason` says why it is exported again.
    public static func export(config: ProviderConfig, planPath: String, out: String, signingKey: SecretKey,
                              now: Instant = .now, tar: Bool = false, practice: Bool = false, againReason: String? = nil,
                              progress: ((String) -> Void)? = nil) throws -> ExportResult {
        // "DIR/" names the same bundle as "DIR": without this the tar went to DIR/.tar,
        // inside the sealed bundle, which then failed verification.
        var out = out
        while out.count > 1, out.hasSuffix("/") { out.removeLast() }
        // The plan and its approvals: each read once, relative to the plan's directory,
        // never through a link; the bytes checked against the signatures are the bytes compared.
        let (planDirectory, planName) = try DirectoryHandle.containing(planPath)
        let plan = try planDirectory.read(planName, limit: 64 << 20)
        let reference = try PlanFile.requestReference(plan, file: planPath)
        let caseNonce = try PlanFile.caseNonce(plan, file: planPath)
        try Practice.requireMode(plan: plan, file: planPath, practice: practice, command: "export")
        let files = try CaseFiles.load(config: config, requestPath: CaseFiles.requestPath(reference: reference, config: config))

        // 1. Approvals, before any work.
        let decision = Decider.decide(request: files.request, policy: files.policy, dataMap: files.dataMap, now: now)
        if decision.refused {
            throw Refusal("export refused: the request no longer passes the policy checks",
                          details: decision.checks.filter { $0.outcome == .fail }.map { "\($0.name): \($0.detail)" })
        }
        if decision.instrument?.preservation != nil {
            throw Refusal("export refused: '\(files.request.instrument.type)' is a preservation instrument; it authorizes preserving, never disclosing",
                          hint: "seal it with: disclose preserve REQUEST --out DIR; a production order that follows is planned and exported on its own")
        }
        let signatures = try Approval.read(forPlan: planName, in: planDirectory)
        let log = AuditLog(path: config.auditLogPath)
        let logged = try log.entries()   // read once: the case's nonce and the reviewers' recorded decisions
        if let recorded = CaseNonce.recorded(in: logged, caseID: files.request.id), recorded != caseNonce {
            throw Refusal("export refused: the plan's case nonce is not the one the audit log holds for case \(files.request.id)",
                          hint: "make a new plan (disclose plan … --out NEW-PLAN) and have it approved")
        }
        let approvals = ApprovalCheck.check(plan: plan, signatures: signatures, policy: files.policy, rule: decision.approvals,
                                            recorded: LoggedDecision.standing(onPlan: PlanDigest.hex(plan), in: logged))
        guard approvals.satisfied else {
            throw Refusal("export refused: the approvals do not satisfy the policy", details: approvals.unmet + approvals.problems,
                          hint: "reviewers approve with: disclose approve \(planPath) --key KEY")
        }

        // Export once: checked now, before any work, and again under the log's lock when the
        // `exported` entry is appended.
        if !practice { _ = try ExportOnce.check(log: log, caseID: files.request.id, planSHA512: PlanDigest.hex(plan), againReason: againReason) }

        // 2. The output path: never overwritten.
        var st = stat()
        if lstat(out, &st) == 0 {
            throw InputError(file: out, message: "output path already exists; an existing bundle is never overwritten", hint: "choose a new --out path")
        }
        let (parent, name) = PathName.split(out)
        guard !name.isEmpty, name != ".", name != ".." else {
            throw InputError(file: out, message: "does not name a new directory for the bundle", hint: "give a new path, e.g. --out bundles/01")
        }
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: parent, isDirectory: &isDir) {
            try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDir), isDir.boolValue else {
            throw InputError(file: out, message: "the parent directory \(parent) does not exist and cannot be created")
        }
        let authority = decision.authority!
        // A practice bundle is never readable by the authority: nothing of it is in the audit
        // log, so it must not be a disclosure. It is encrypted to the provider's escrow only.
        if practice && files.policy.escrowRecipients.isEmpty {
            throw Refusal("export --practice refused: the policy lists no escrow_recipients, and a practice bundle is encrypted to the provider's escrow only",
                          hint: "create one with disclose keygen recipient --out escrow.age and add its age1… line to escrow_recipients")
        }
        let recipientStrings = practice ? files.policy.escrowRecipients : authority.recipients + files.policy.escrowRecipients
        let recipients = try recipientStrings.map { s -> Recipient in
            do { return try Recipient(parsing: s) } catch {
                throw InputError(file: config.policyPath, field: "authorities", message: "recipient of \(authority.id) is not a valid age recipient: \(error)")
            }
        }
        let secret = try PseudonymKey.loadSecret(path: config.pseudonymSecretPath)
        let bundleID = UUIDv4.make()
        let partial = try PartialDirectory(for: out, id: bundleID, subdirectories: ["data"], what: "bundle")
        defer { partial.discardUnlessPlaced() }
        let temp = partial.path
        var writers: [(dataset: String, file: String, writer: HashingFileWriter)] = []

        // 3. One pass: scope → BLAKE2b-512 ‖ encrypt → SHA-512 ‖ file, each hash and the
        // writes on their own threads.
        var plaintextSizes: [String: Int] = [:]
        let outcome = try CaseProcessor.run(files, now: now, pseudonymSecret: secret, caseNonce: caseNonce) { dd, outputName in
            let name = dd.dataset.name
            progress?("exporting \(name)")
            let file = "data/\(outputName).age"
            let writer = try partial.writer(file)
            writers.append((name, file, writer))
            let encryptor = try Encryptor(recipients: recipients) { try writer.write($0) }
            var size = 0
            return (sink: { size += $0.count; try encryptor.write($0) }, finish: {
                try encryptor.finish()
                plaintextSizes[name] = size
                _ = try writer.finish()   // now, so that its buffers are free for the next dataset
            })
        }

        // 4. The approved plan must be this very plan.
        let recomputed = PlanDocument.bytes(outcome, practice: practice)
        guard recomputed == plan else {
            throw Refusal("export refused: the plan recomputed now differs from the approved plan; nothing was exported",
                          details: PlanFile.differences(approved: plan, current: recomputed),
                          hint: "make a new plan (disclose plan … --out NEW-PLAN) and have it approved")
        }

        var payloads: [BundleDocuments.Payload] = []
        var certified: [CustodianCertificate.Entry] = []
        var manifest: [(path: String, sha512: String)] = []
        for w in writers {
            let digest = try w.writer.finish()
            manifest.append((w.file, digest))
            let ds = outcome.datasets.first { $0.decision.dataset.name == w.dataset }!
            payloads.append(.init(dataset: w.dataset, file: w.file, plaintextBytes: plaintextSizes[w.dataset] ?? 0,
                                  plaintextBLAKE2b512: ds.outputBLAKE2b512, ciphertextBytes: w.writer.bytesWritten))
            certified.append(.init(file: w.file, sha512: digest, plaintextBLAKE2b512: ds.outputBLAKE2b512))
        }

        // 5. The encrypted disclosure record.
        let recordWriter = try partial.writer("data/record.json.age")
        let record = Array(BundleDocuments.record(outcome: outcome, bundleID: bundleID, plan: plan, payloads: payloads).json.pretty.utf8)
        let recordEncryptor = try Encryptor(recipients: recipients) { try recordWriter.write($0) }
        try recordEncryptor.write(record)
        try recordEncryptor.finish()
        manifest.append(("data/record.json.age", try recordWriter.finish()))
        certified.append(.init(file: "data/record.json.age", sha512: manifest.last!.sha512, plaintextBLAKE2b512: Hex.encode(BLAKE2b.hash(record))))
        let payloadBytes = payloads.reduce(0) { $0 + $1.ciphertextBytes } + recordWriter.bytesWritten

        // 6. Audit entry, whose head the bundle records.
        let contentDisclosed = outcome.datasets.contains { ds in
            ds.statistics.recordsDisclosed > 0 && ds.decision.fields.contains { $0.category == .content && $0.action != .withhold }
        }
        let accountCount = Set(outcome.subjects.flatMap(\.accounts)).count
        let recordsDisclosed = outcome.datasets.reduce(0) { $0 + $1.statistics.recordsDisclosed }
        let approverIDs: [JSONOutput] = approvals.valid.map { .string($0.publicKey.keyIDString) }
        let facts: [(String, JSONOutput)] = [
            ("bundle_id", .string(bundleID)), ("plan_sha512", .string(PlanDigest.hex(plan))),
            ("authority", .string(files.request.authority)), ("country", .optional(authority.country)),
            ("instrument", .string(files.request.instrument.type)), ("verdict", .string(outcome.verdict.rawValue)),
            ("emergency", .bool(files.request.emergency != nil)),
            ("content_disclosed", .bool(contentDisclosed)),
            ("accounts", .int(accountCount)),
            ("records_disclosed", .int(recordsDisclosed)),
            ("approvers", .array(approverIDs)),
            ("received", .string(files.request.received.description)),
            ("location", .string(URL(fileURLWithPath: out).standardizedFileURL.path)),
        ]
        // From here on a failure must say so in the log: the bundle never came into place.
        // If this process dies before it can, the marker lets the next append say it.
        // A practice export writes nothing to the log: the bundle records the head as it stands.
        let inFlight = practice ? nil : try log.markExportInFlight(bundleID: bundleID, caseID: files.request.id)
        var sealed = false
        defer {
            if !sealed, let inFlight {
                if (try? log.append(event: "export_failed", caseID: files.request.id, facts: [("bundle_id", .string(bundleID))])) != nil {
                    log.clearExportInFlight(inFlight)
                }
            }
        }
        let head = practice ? try log.verify().head
            : try log.appendExported(caseID: files.request.id, planSHA512: PlanDigest.hex(plan), againReason: againReason, time: now, facts: facts,
                                     key: signingKey)

        // 7. Tag files, manifests, signature.
        let signingKeyID = signingKey.keyID.description
        let disclosure = BundleDocuments.manifest(outcome: outcome, bundleID: bundleID, created: now, provider: config.provider,
                                                  signingKeyID: signingKeyID, signingPublicKey: signingKey.publicKey.base64,
                                                  recipients: recipientStrings.map { r in (r, authority.recipients.contains(r) && !practice ? "authority" : "provider escrow") },
                                                  approvals: approvals.valid, plan: plan,
                                                  payloads: payloads, auditHead: head, practice: practice)
        let tagFiles: [(String, String)] = [
            ("bagit.txt", BagIt.declaration),
            ("bag-info.txt", BagIt.info(organization: config.provider, externalIdentifier: files.request.id, date: now,
                                        payloadBytes: payloadBytes, payloadFiles: manifest.count, bundleID: bundleID, software: ToolVersion.agent,
                                        practice: practice)),
            ("manifest-sha512.txt", BagIt.manifest(manifest)),
            ("disclosure.json", disclosure.json.pretty),
            (CustodianCertificate.fileName, CustodianCertificate.text(custodian: files.policy.custodian,
                                                                      jurisdiction: decision.instrument?.jurisdiction, provider: config.provider,
                                                                      bundleID: bundleID, requestID: files.request.id, date: now,
                                                                      entries: certified, practice: practice)),
            ("VERIFY.txt", VerifyInstructions.text(bundleID: bundleID, requestID: files.request.id, provider: config.provider,
                                                      signingKeyID: signingKeyID, signingPublicKey: signingKey.publicKey.base64)),
        ]
        var tagManifest: [(path: String, sha512: String)] = []
        for (name, text) in tagFiles {
            let bytes = Array(text.utf8)
            try AtomicFile.write(bytes, to: temp + "/" + name, mode: 0o644, overwrite: false)
            tagManifest.append((name, Hex.encode(SHA512.hash(bytes))))
        }
        let tagManifestBytes = Array(BagIt.manifest(tagManifest).utf8)
        try AtomicFile.write(tagManifestBytes, to: temp + "/tagmanifest-sha512.txt", mode: 0o644, overwrite: false)
        let comment = "timestamp:\(now.nanoseconds / 1_000_000_000)\tfile:tagmanifest-sha512.txt\tbundle:\(bundleID)\trequest:\(files.request.id)"
        let signature = try signingKey.sign(tagManifestBytes, trustedComment: comment,
                                            untrustedComment: "signature from \(config.provider) (disclose bundle \(bundleID))")
        try AtomicFile.write(Array(signature.fileContents.utf8), to: temp + "/tagmanifest-sha512.txt.minisig", mode: 0o644, overwrite: false)

        // 8. Into place, never replacing anything. The marker goes first: once it is gone
        // only a failure this process reports itself can undo the `exported` entry.
        if let inFlight { log.clearExportInFlight(inFlight) }
        try partial.place(syncing: ["data"])
        sealed = true
        var tarPath: String? = nil
        if tar {
            tarPath = out + ".tar"
            try Tar.write(directory: out, prefix: name, to: tarPath!)
        }
        return ExportResult(bundlePath: out, bundleID: bundleID, outcome: outcome, approvals: approvals.valid, auditHead: head, tarPath: tarPath,
                                approvalProblems: approvals.problems)
    }
}
