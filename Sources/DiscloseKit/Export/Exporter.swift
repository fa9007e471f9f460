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
///
/// `export` is the sequence of named steps below; their order is a security property
/// (nothing is scanned before the approvals hold, nothing is placed before it is signed
/// and recorded) and must be kept.
public enum Exporter {
    /// Exports the approved plan at `planPath` to a new bundle directory `out`. With
    /// `practice` the plan must be a practice plan, the bundle is marked PRACTICE and the
    /// audit log is not written; without it a plan already exported is refused unless
    /// `againReason` says why it is exported again.
    public static func export(config: ProviderConfig, planPath: String, out: String, signingKey: SecretKey,
                              now: Instant = .now, tar: Bool = false, practice: Bool = false, againReason: String? = nil,
                              progress: ((String) -> Void)? = nil) throws -> ExportResult {
        let out = bundlePath(out)
        let plan = try readApprovedPlan(planPath: planPath, config: config, practice: practice)
        let decision = try checkPolicy(plan, now: now)
        let log = AuditLog(path: config.auditLogPath)
        let approvals = try checkApprovals(plan, decision: decision, log: log)
        if !practice { try checkExportOnce(plan, log: log, againReason: againReason) }
        let name = try checkOutputPath(out)
        let recipients = try chooseRecipients(plan, decision: decision, config: config, practice: practice)
        let secret = try PseudonymKey.loadSecret(path: config.pseudonymSecretPath)
        let bundleID = UUIDv4.make()
        let partial = try PartialDirectory(for: out, id: bundleID, subdirectories: ["data"], what: "bundle")
        defer { partial.discardUnlessPlaced() }
        let scoped = try rescopeAndEncrypt(plan, secret: secret, recipients: recipients.parsed, into: partial, now: now, progress: progress)
        try compareWithApproved(plan, scoped.outcome, practice: practice)
        var payloads = try finishPayloads(scoped)
        try writeRecord(plan, scoped.outcome, bundleID: bundleID, recipients: recipients.parsed, into: partial, &payloads)
        let sealing = Sealing(config: config, plan: plan, outcome: scoped.outcome, decision: decision, approvals: approvals,
                              recipients: recipients, bundleID: bundleID, out: out, signingKey: signingKey, now: now,
                              practice: practice, againReason: againReason)
        let head = try sealAndPlace(sealing, payloads: payloads, log: log, partial: partial)
        var tarPath: String? = nil
        if tar {
            tarPath = out + ".tar"
            try Tar.write(directory: out, prefix: name, to: tarPath!)
        }
        return ExportResult(bundlePath: out, bundleID: bundleID, outcome: scoped.outcome, approvals: approvals.valid, auditHead: head, tarPath: tarPath,
                            approvalProblems: approvals.problems)
    }

    /// "DIR/" names the same bundle as "DIR": without this the tar went to DIR/.tar,
    /// inside the sealed bundle, which then failed verification.
    static func bundlePath(_ out: String) -> String {
        var out = out
        while out.count > 1, out.hasSuffix("/") { out.removeLast() }
        return out
    }

    /// The approved plan: its bytes, read once relative to the plan's directory and never
    /// through a link (the bytes checked against the signatures are the bytes compared),
    /// its case nonce, the practice mark, and the case files it names.
    static func readApprovedPlan(planPath: String, config: ProviderConfig, practice: Bool) throws -> ApprovedPlan {
        let (planDirectory, planName) = try DirectoryHandle.containing(planPath)
        let plan = try planDirectory.read(planName, limit: PlanModel.maxBytes)
        let reference = try PlanFile.requestReference(plan, file: planPath)
        let caseNonce = try PlanFile.caseNonce(plan, file: planPath)
        try Practice.requireMode(plan: plan, file: planPath, practice: practice, command: "export")
        let files = try CaseFiles.load(config: config, requestPath: CaseFiles.requestPath(reference: reference, config: config))
        return ApprovedPlan(path: planPath, directory: planDirectory, name: planName, bytes: plan, caseNonce: caseNonce, files: files)
    }

    /// The request must still pass the policy now, and must not be a preservation.
    static func checkPolicy(_ plan: ApprovedPlan, now: Instant) throws -> Decision {
        let files = plan.files
        let decision = Decider.decide(request: files.request, policy: files.policy, dataMap: files.dataMap, now: now)
        if decision.refused {
            throw Refusal("export refused: the request no longer passes the policy checks",
                          details: decision.checks.filter { $0.outcome == .fail }.map { "\($0.name): \($0.detail)" })
        }
        if decision.instrument?.preservation != nil {
            throw Refusal("export refused: '\(files.request.instrument.type)' is a preservation instrument; it authorizes preserving, never disclosing",
                          hint: "seal it with: disclose preserve REQUEST --out DIR; a production order that follows is planned and exported on its own")
        }
        return decision
    }

    /// The approvals beside the plan, before any work: the plan's case nonce must be the
    /// one the log holds, and the one approval rule (with the reviewers' decisions the
    /// log recorded, so a veto binds) must be satisfied.
    static func checkApprovals(_ plan: ApprovedPlan, decision: Decision, log: AuditLog) throws -> ApprovalCheck {
        let signatures = try Approval.read(forPlan: plan.name, in: plan.directory)
        let logged = try log.entries()   // read once: the case's nonce and the reviewers' recorded decisions
        let caseID = plan.files.request.id
        if let recorded = CaseNonce.recorded(in: logged, caseID: caseID), recorded != plan.caseNonce {
            throw Refusal("export refused: the plan's case nonce is not the one the audit log holds for case \(caseID)",
                          hint: "make a new plan (disclose plan … --out NEW-PLAN) and have it approved")
        }
        let approvals = ApprovalCheck.check(plan: plan.bytes, signatures: signatures, policy: plan.files.policy, rule: decision.approvals,
                                            recorded: LoggedDecision.standing(onPlan: plan.sha512, in: logged))
        guard approvals.satisfied else {
            throw Refusal("export refused: the approvals do not satisfy the policy", details: approvals.unmet + approvals.problems,
                          hint: "reviewers approve with: disclose approve \(plan.path) --key KEY")
        }
        return approvals
    }

    /// Export once: checked now, before any work, and again under the log's lock when
    /// the `exported` entry is appended.
    static func checkExportOnce(_ plan: ApprovedPlan, log: AuditLog, againReason: String?) throws {
        _ = try ExportOnce.check(log: log, caseID: plan.files.request.id, planSHA512: plan.sha512, againReason: againReason)
    }

    /// The output path: never an existing one, a real new name, in a directory that
    /// exists or can be made (0700). Returns the bundle's own name.
    static func checkOutputPath(_ out: String) throws -> String {
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
        return name
    }

    /// Whom the bundle is encrypted to: the authority's recipients and the provider's
    /// escrow — the escrow only for a practice bundle, which is nobody's disclosure.
    static func chooseRecipients(_ plan: ApprovedPlan, decision: Decision, config: ProviderConfig, practice: Bool) throws -> Recipients {
        let authority = decision.authority!
        let policy = plan.files.policy
        if practice && policy.escrowRecipients.isEmpty {
            throw Refusal("export --practice refused: the policy lists no escrow_recipients, and a practice bundle is encrypted to the provider's escrow only",
                          hint: "create one with disclose keygen recipient --out escrow.age and add its age1… line to escrow_recipients")
        }
        let strings = practice ? policy.escrowRecipients : authority.recipients + policy.escrowRecipients
        let parsed = try strings.map { s -> Recipient in
            do { return try Recipient(parsing: s) } catch {
                throw InputError(file: config.policyPath, field: "authorities", message: "recipient of \(authority.id) is not a valid age recipient: \(error)")
            }
        }
        return Recipients(strings: strings, parsed: parsed,
                          roles: strings.map { r in (r, authority.recipients.contains(r) && !practice ? "authority" : "provider escrow") })
    }

    /// One pass through the one decision path: scope → BLAKE2b-512 ‖ encrypt → SHA-512 ‖
    /// file, each hash and the writes on their own threads.
    static func rescopeAndEncrypt(_ plan: ApprovedPlan, secret: SecretBytes, recipients: [Recipient], into partial: PartialDirectory,
                                  now: Instant, progress: ((String) -> Void)?) throws -> Scoped {
        var writers: [(dataset: String, file: String, writer: HashingFileWriter)] = []
        var plaintextSizes: [String: Int] = [:]
        let outcome = try CaseProcessor.run(plan.files, now: now, pseudonymSecret: secret, caseNonce: plan.caseNonce) { dd, outputName in
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
        return Scoped(outcome: outcome, writers: writers, plaintextSizes: plaintextSizes)
    }

    /// The approved plan must be this very plan, byte for byte; otherwise nothing leaves
    /// and the refusal says what changed.
    static func compareWithApproved(_ plan: ApprovedPlan, _ outcome: CaseOutcome, practice: Bool) throws {
        let recomputed = PlanDocument.bytes(outcome, practice: practice)
        guard recomputed == plan.bytes else {
            throw Refusal("export refused: the plan recomputed now differs from the approved plan; nothing was exported",
                          details: PlanFile.differences(approved: plan.bytes, current: recomputed),
                          hint: "make a new plan (disclose plan … --out NEW-PLAN) and have it approved")
        }
    }

    /// Each encrypted payload's manifest line, its entry for the record and the certificate.
    static func finishPayloads(_ scoped: Scoped) throws -> Payloads {
        var p = Payloads()
        for w in scoped.writers {
            let digest = try w.writer.finish()
            p.manifest.append((w.file, digest))
            let ds = scoped.outcome.datasets.first { $0.decision.dataset.name == w.dataset }!
            p.payloads.append(.init(dataset: w.dataset, file: w.file, plaintextBytes: scoped.plaintextSizes[w.dataset] ?? 0,
                                    plaintextBLAKE2b512: ds.outputBLAKE2b512, ciphertextBytes: w.writer.bytesWritten))
            p.certified.append(.init(file: w.file, sha512: digest, plaintextBLAKE2b512: ds.outputBLAKE2b512))
        }
        p.bytes = p.payloads.reduce(0) { $0 + $1.ciphertextBytes }
        return p
    }

    /// The encrypted disclosure record (`data/record.json.age`), added to the payloads.
    static func writeRecord(_ plan: ApprovedPlan, _ outcome: CaseOutcome, bundleID: String, recipients: [Recipient],
                            into partial: PartialDirectory, _ p: inout Payloads) throws {
        let file = "data/record.json.age"
        let recordWriter = try partial.writer(file)
        let record = Array(BundleDocuments.record(outcome: outcome, bundleID: bundleID, plan: plan.bytes, payloads: p.payloads).json.pretty.utf8)
        let recordEncryptor = try Encryptor(recipients: recipients) { try recordWriter.write($0) }
        try recordEncryptor.write(record)
        try recordEncryptor.finish()
        p.manifest.append((file, try recordWriter.finish()))
        p.certified.append(.init(file: file, sha512: p.manifest.last!.sha512, plaintextBLAKE2b512: Hex.encode(BLAKE2b.hash(record))))
        p.bytes += recordWriter.bytesWritten
    }
}
