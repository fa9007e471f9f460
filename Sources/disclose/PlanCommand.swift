import Foundation
import DiscloseKit

/// `disclose plan`: the dry run.
enum PlanCommand {
    static func run(request: String, config configPath: String?, json: Bool, out: String?, sample: Int, sampleOut: String?, html: String?,
                    practice: Bool = false) throws -> Int32 {
        // Sampled records are personal data: a terminal, --sample-out or the sheet (0600), never a pipe.
        if sample > 0, sampleOut == nil, html == nil, json || isatty(STDOUT_FILENO) == 0 {
            throw UsageError(message: json ? "--sample prints records to the terminal; --json prints the plan document only"
                                           : "--sample prints subjects' records, and standard output is not a terminal: they would land in a file or pipe",
                             hint: "give --sample-out FILE to write them to a new file readable only by you (mode 0600), or --html FILE for the reviewer's sheet")
        }
        if let sampleOut { _ = try AtomicFile.fileName(sampleOut) }
        if let html { try ReviewCommand.refuseExisting(html) }
        let config = try ProviderConfig.load(path: configPath)
        let files = try CaseFiles.load(config: config, requestPath: request)
        let secret = try PseudonymKey.loadSecret(path: config.pseudonymSecretPath)
        var samples: [(String, SampleCapture)] = []
        let log = AuditLog(path: config.auditLogPath)
        let caseNonce = try CaseNonce.forPlanning(log: log, caseID: files.request.id, requestDigest: files.request.canonicalDigest,
                                                  authority: files.request.authority)
        let progress = ProgressLine.start()
        defer { progress?.stop() }
        let outcome = try CaseProcessor.run(files, now: Instant.now, pseudonymSecret: secret, caseNonce: caseNonce) { dd, name in
            guard sample > 0 else { return nil }
            let capture = SampleCapture(records: sample, header: dd.dataset.format == .csv)
            samples.append((dd.dataset.name, capture))
            return (sink: { capture.take($0) }, finish: {})
        }
        progress?.stop()
        let document = PlanDocument.bytes(outcome, practice: practice)
        if let out {
            try AtomicFile.write(document, to: out, mode: 0o600, overwrite: false)
        }
        if let sampleOut {
            var text: [UInt8] = []
            for (name, capture) in samples { text += Array("# sample of \(name)\n".utf8) + capture.bytes }
            try SecretOutput.write(&text, to: sampleOut)
        }
        if practice {
            Diagnostics.note("PRACTICE run: nothing is recorded in the audit log")
        } else {
            try CaseRecording.planned(log: log, files: files, outcome: outcome, document: document, planFileWritten: out != nil, caseNonce: caseNonce)
        }
        let view = try PlanView(plan: document, file: out ?? "plan", context: PlanContext(files: files))
        if let html {
            let sheet = ReviewSheet.html(view, planPath: out, approveCommand: NextStepCommand.line(.approve(plan: out, key: "YOUR-REVIEWER.key")), samples: sampleOut == nil ? samples.map { ReviewSheet.Sample(dataset: $0.0, lines: $0.1.records) } : [])
            try AtomicFile.write(Array(sheet.utf8), to: html, mode: 0o600, overwrite: false)
        }
        if json {
            Output.print(String(decoding: document, as: UTF8.self))
        } else {
            if practice { Output.print("PRACTICE PLAN — a rehearsal: not a case, not in the audit log, never exported as real\n\n") }
            var written: [String] = []
            if let out { written.append("Plan document written to \(out).") }
            if let sampleOut { written.append("Sampled records written to \(sampleOut) (mode 0600).") }
            if let html { written.append("Reviewer's sheet written to \(html)\(sample > 0 && sampleOut == nil ? " (it holds sample records: personal data)" : "").") }
            if let out, practice { written.append("A practice plan: reviewers rehearse with disclose approve \(out) --practice --key KEY") }
            let style = TerminalStyle.detect(fd: 1)
            Output.print(PlanReport.text(view, style: style, approveCommand: out.map { NextStepCommand.line(.approve(plan: $0)) }, written: written))
            if html == nil, sampleOut == nil, !samples.isEmpty {
                for (name, capture) in samples {
                    Output.print("\nSample of \(name) (terminal only, not written anywhere):\n")
                    Output.print(capture.text)
                }
                Output.print("\n" + PlanReport.lastLine(view, style) + "\n")
            }
        }
        return outcome.verdict == .refused ? 1 : 0
    }
}

/// Keeps the first N records of a scoped stream for `--sample` (bounded memory).
final class SampleCapture {
    private(set) var bytes: [UInt8] = []
    private var lines = 0
    private let limit: Int
    private let maxBytes: Int

    init(records: Int, header: Bool) {
        limit = records + (header ? 1 : 0)
        maxBytes = records * 65_536
    }

    func take(_ chunk: UnsafeRawBufferPointer) {
        guard lines < limit, bytes.count < maxBytes else { return }
        for b in chunk {
            bytes.append(b)
            if b == 0x0A { lines += 1; if lines >= limit { break } }
            if bytes.count >= maxBytes { break }
        }
    }

    /// The captured records as text for a terminal: control characters (a CSV field may
    /// hold raw escape bytes) are replaced, line ends kept.
    var text: String { TerminalStyle.printable(String(decoding: bytes, as: UTF8.self), keepNewlines: true) }

    /// The captured lines (records; a CSV header first).
    var records: [String] { text.split(whereSeparator: \.isNewline).map(String.init) }
}
