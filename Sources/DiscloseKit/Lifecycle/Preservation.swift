import Age
import Foundation
import Primitives
import Sodium

/// One sealed file of a preservation.
public struct PreservedFile: Sendable, Equatable {
    /// The dataset.
    public var dataset: String
    /// Path inside the preservation directory: `data/<the dataset's first input file>.age`,
    /// so decrypting every file into a directory gives a data root the same data map reads.
    public var file: String
    /// Records sealed.
    public var records: Int
    /// BLAKE2b-512 of the scoped plaintext (as in a plan and a disclosure record).
    public var plaintextBLAKE2b512: String
    /// SHA-512 of the sealed (age) file.
    public var sha512: String
}

/// What `disclose preserve` sealed.
public struct PreservationResult: Sendable {
    /// The preservation directory.
    public var path: String
    /// The request id.
    public var requestID: String
    /// When the records were sealed.
    public var preservedAt: Instant
    /// When the preservation ends unless extended.
    public var until: Instant
    /// The sealed files.
    public var files: [PreservedFile]
    /// The case as scoped (same decision path as plan and export).
    public var outcome: CaseOutcome
    /// The audit head after the `preserved` entry.
    public var auditHead: AuditLog.Head
}

/// Preservation requests (US 18 U.S.C. § 2703(f), EU European Preservation Order): the
/// subject's records in scope are sealed, encrypted only to the provider's own escrow
/// recipients, so a later production order can be answered from the state at preservation
/// time even if the live data changes. Nothing is disclosed and no approval is needed;
/// the policy checks still apply, through the same `CaseProcessor` as plan and export.
public enum Preservation {
    /// The format name of `preservation.json`.
    public static let format = "disclose-preservation/1"

    /// Seals the request at `requestPath` into the new directory `out` (written under a
    /// temporary name, renamed into place, never overwriting), then records a `preserved`
    /// audit entry with every sealed file's digests and the expiry. With `practice`,
    /// `preservation.json` is marked PRACTICE and nothing is written to the audit log.
    public static func seal(config: ProviderConfig, requestPath: String, out: String, now: Instant = .now,
                            practice: Bool = false) throws -> PreservationResult {
        let files = try CaseFiles.load(config: config, requestPath: requestPath)
        let policy = files.policy
        guard let instrument = policy.instruments[files.request.instrument.type], let terms = instrument.preservation else {
            throw Refusal("'\(files.request.instrument.type)' is not a preservation instrument in the policy; nothing was sealed",
                          hint: "production orders go through a plan:", next: .plan(request: requestPath))
        }
        guard !policy.escrowRecipients.isEmpty else {
            throw Refusal("the policy lists no escrow_recipients: preserved records can only be sealed to the provider's own escrow key",
                          hint: "add the age1… line of a recipient key to escrow_recipients; create one with:", next: .makeRecipientKey(out: "escrow.age"))
        }
        let recipients = try policy.escrowRecipients.map { s -> Recipient in
            do { return try Recipient(parsing: s) } catch {
                throw InputError(file: config.policyPath, field: "escrow_recipients", message: "not a valid age recipient: \(error)")
            }
        }
        let decision = Decider.decide(request: files.request, policy: policy, dataMap: files.dataMap, now: now)
        if decision.refused {
            throw Refusal("preservation refused: the request does not pass the policy checks",
                          details: decision.checks.filter { $0.outcome == .fail }.map { "\($0.name): \($0.detail)" })
        }
        var st = stat()
        if lstat(out, &st) == 0 {
            throw InputError(file: out, message: "output path already exists; a preservation is never overwritten", hint: "choose a new --out path")
        }
        let partial = try PartialDirectory(for: out, id: UUIDv4.make(), what: "preservation")
        defer { partial.discardUnlessPlaced() }
        let temp = partial.path
        var writers: [(dataset: String, file: String, writer: HashingFileWriter)] = []

        let secret = try PseudonymKey.loadSecret(path: config.pseudonymSecretPath)
        let root = URL(fileURLWithPath: config.dataRoot).standardizedFileURL.path
        let caseNonce = try CaseNonce.forPlanning(log: AuditLog(path: config.auditLogPath), caseID: files.request.id,
                                                  requestDigest: files.request.canonicalDigest, authority: files.request.authority)
        let outcome = try CaseProcessor.run(files, now: now, pseudonymSecret: secret, caseNonce: caseNonce) { dd, outputName in
            let first = try files.files(of: dd.dataset)[0].standardizedFileURL.path
            let rel = first.hasPrefix(root + "/") ? String(first.dropFirst(root.count + 1)) : outputName
            let file = "data/" + rel + ".age"
            try FileManager.default.createDirectory(atPath: PathName.directory(temp + "/" + file),
                                                    withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let writer = try partial.writer(file, mode: 0o600)
            writers.append((dd.dataset.name, file, writer))
            let encryptor = try Encryptor(recipients: recipients) { try writer.write($0) }
            return (sink: { try encryptor.write($0) }, finish: {
                try encryptor.finish()
                _ = try writer.finish()   // now, so that its buffers are free for the next dataset
            })
        }
        var sealed: [PreservedFile] = []
        for w in writers {
            let ds = outcome.datasets.first { $0.decision.dataset.name == w.dataset }!
            sealed.append(PreservedFile(dataset: w.dataset, file: w.file, records: ds.statistics.recordsDisclosed,
                                        plaintextBLAKE2b512: ds.outputBLAKE2b512, sha512: try w.writer.finish()))
        }
        let until = now.advanced(bySeconds: terms.days * 86_400)
        let accounts = Set(outcome.subjects.flatMap(\.accounts)).count
        let manifest = Array(BagIt.manifest(sealed.map { ($0.file, $0.sha512) }).utf8)
        try AtomicFile.write(manifest, to: temp + "/manifest-sha512.txt", mode: 0o600, overwrite: false)
        let document = Array(self.document(files: files, instrument: instrument, terms: terms, now: now, until: until,
                                           accounts: accounts, sealed: sealed, practice: practice).pretty.utf8)
        try AtomicFile.write(document, to: temp + "/preservation.json", mode: 0o600, overwrite: false)
        try partial.place()
        if practice {
            return PreservationResult(path: out, requestID: files.request.id, preservedAt: now, until: until, files: sealed,
                                      outcome: outcome, auditHead: try AuditLog(path: config.auditLogPath).verify().head)
        }

        let fileFacts: [JSONOutput] = sealed.map {
            .object([("dataset", .string($0.dataset)), ("file", .string($0.file)), ("records", .int($0.records)),
                     ("plaintext_blake2b512", .string($0.plaintextBLAKE2b512)), ("sha512", .string($0.sha512))])
        }
        let head: AuditLog.Head
        do {
            let facts: [(AuditFact, JSONOutput)] = [
                (.authority, .string(files.request.authority)), (.country, .optional(decision.authority?.country)),
                (.instrument, .string(instrument.type)), (.received, .string(files.request.received.description)),
                (.emergency, .bool(files.request.emergency != nil)), (.preservation, .bool(true)),
                (.subjects, .int(files.request.subjects.count)), (.accounts, .int(accounts)),
                (.recordsPreserved, .int(sealed.reduce(0) { $0 + $1.records })),
                (.until, .string(until.description)), (.extensionDays, .int(terms.extensionDays)),
                (.location, .string(URL(fileURLWithPath: out).standardizedFileURL.path)),
                (.manifestSHA512, .string(Hex.encode(SHA512.hash(manifest)))),
                (.preservationSHA512, .string(Hex.encode(SHA512.hash(document)))),
                (.files, .array(fileFacts)),
                (.requestSHA512, .string(files.requestDigest)),
                (.requestCanonicalSHA512, .string(files.request.canonicalDigest)), (.caseNonce, .string(caseNonce)),
            ]
            head = try AuditLog(path: config.auditLogPath).record(.preserved, caseID: files.request.id, time: now, facts: facts)
        } catch {
            // Without its audit entry a preservation does not exist: remove it.
            try? FileManager.default.removeItem(atPath: out)
            throw error
        }
        return PreservationResult(path: out, requestID: files.request.id, preservedAt: now, until: until,
                                  files: sealed, outcome: outcome, auditHead: head)
    }

    /// `preservation.json`: what was sealed, for whom, until when — free of personal data.
    static func document(files: CaseFiles, instrument: Policy.Instrument, terms: Policy.PreservationTerms, now: Instant,
                         until: Instant, accounts: Int, sealed: [PreservedFile], practice: Bool = false) -> JSONOutput {
        PreservationDocument(
            practice: practice, requestID: files.request.id, requestSHA512: files.requestDigest, received: files.request.received.description,
            authority: files.request.authority, instrumentType: instrument.type, reference: files.request.instrument.reference,
            legalBasis: instrument.basis, preserved: now.description, until: until.description, extensionDays: terms.extensionDays,
            windowFrom: files.request.window.lowerBound.description, windowTo: files.request.window.upperBound.description,
            subjects: files.request.subjects.count, accounts: accounts, dataMapSHA512: files.dataMapDigest, policySHA512: files.policyDigest,
            recipients: files.policy.escrowRecipients, datasets: sealed).json
    }

    /// The new expiry when `history`'s preservation is extended at `now`, or a refusal:
    /// only once, before it expires, and only when the instrument allows an extension.
    public static func extensionEnd(_ history: CaseHistory, policy: Policy, now: Instant) throws -> Instant {
        guard let preserved = history.preserved else {
            throw Refusal("case \(history.id) has no preservation to extend", hint: "seal one with:", next: .preserve())
        }
        guard history.closed == nil else { throw Refusal("case \(history.id) is closed") }
        guard history.extendedUntil == nil else {
            throw Refusal("the preservation of \(history.id) was already extended once (until \(history.extendedUntil!)); it cannot be extended again")
        }
        guard now <= preserved.until else {
            throw Refusal("the preservation of \(history.id) expired at \(preserved.until); an expired preservation cannot be extended")
        }
        guard let terms = history.instrument.flatMap({ policy.instruments[$0]?.preservation }), terms.extensionDays > 0 else {
            throw Refusal("the policy allows no extension for this instrument")
        }
        return preserved.until.advanced(bySeconds: terms.extensionDays * 86_400)
    }
}
