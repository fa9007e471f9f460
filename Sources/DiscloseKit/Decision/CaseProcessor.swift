import Foundation
import Sodium

/// Receives a dataset's scoped output (export encrypts it; plan only hashes).
public typealias ScopedSink = (UnsafeRawBufferPointer) throws -> Void

/// The one code path that decides and scopes a case, for `plan` and `export` alike:
/// policy decision, subject resolution, then each dataset streamed through the engine
/// with its BLAKE2b-512 computed here (on its own thread), whatever else consumes the bytes.
public enum CaseProcessor {
    /// Runs the case; third-party pseudonyms are keyed by the provider secret and
    /// `caseNonce` (`CaseNonce`). `sinkFor` may return a consumer for a dataset's scoped bytes
    /// (export), or nil (plan); `finish` is called after each dataset's last byte.
    public static func run(_ files: CaseFiles, now: Instant, pseudonymSecret: SecretBytes?, caseNonce: String,
                           sinkFor: (DatasetDecision, String) throws -> (sink: ScopedSink, finish: () throws -> Void)? = { _, _ in nil })
        throws -> CaseOutcome {
        let decision = Decider.decide(request: files.request, policy: files.policy, dataMap: files.dataMap, now: now)
        guard !decision.refused else {
            return CaseOutcome(files: files, decision: decision, subjects: [], datasets: [], caseNonce: caseNonce)
        }
        WorkProgress.shared.begin("resolving subjects", total: 0)
        let subjects = try SubjectResolver.resolve(files)
        let accounts = Set(subjects.flatMap(\.accounts))
        let key = pseudonymSecret.map { PseudonymKey.derive(secret: $0, caseNonce: caseNonce) }
        var outcomes: [DatasetOutcome] = []
        for dd in decision.datasets {
            let ds = dd.dataset
            let urls = try files.files(of: ds)
            WorkProgress.shared.begin(ds.name, total: WorkProgress.size(of: urls))
            let outputName = ds.name + (ds.format == .csv ? ".csv" : ".jsonl")
            let scope = DatasetScope(name: ds.name, format: ds.format, files: urls, accountField: ds.accountField,
                                     timeField: ds.timeField, timeFormat: ds.timeFormat,
                                     window: dd.windowApplies ? files.request.window : nil,
                                     accounts: dd.disclosesAnything ? accounts : [], actions: dd.actions, pseudonymKey: key)
            let hash = try PipelinedBLAKE2b512()
            let consumer = try sinkFor(dd, outputName)
            let stats = try scopeDataset(scope) { bytes in
                hash.update(bytes)
                try consumer?.sink(bytes)
            }
            try consumer?.finish()
            let root = URL(fileURLWithPath: files.config.dataRoot).standardizedFileURL.path
            let rel = urls.map { u -> String in
                let p = u.standardizedFileURL.path
                return p.hasPrefix(root + "/") ? String(p.dropFirst(root.count + 1)) : p
            }
            outcomes.append(DatasetOutcome(decision: dd, statistics: stats, outputBLAKE2b512: Hex.encode(hash.finalize()),
                                           outputName: outputName, inputFiles: rel))
        }
        return CaseOutcome(files: files, decision: decision, subjects: subjects, datasets: outcomes, caseNonce: caseNonce)
    }
}
