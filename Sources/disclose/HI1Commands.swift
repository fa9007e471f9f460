import Foundation
import DiscloseKit

/// `disclose import` and `disclose respond`: the HI-1 (ETSI TS 103 120) front end.
/// Parsing, mapping and answer building live in DiscloseKit; this only loads and prints.
enum HI1Commands {
    /// Shows (or writes) the request JSON an HI-1 message translates to.
    static func importRequest(request: String, out: String?, config configPath: String?) throws -> Int32 {
        let config = try ProviderConfig.load(path: configPath)
        let policy = try Policy.load(path: config.policyPath)
        let bytes = try FileBytes.read(path: request, limit: RequestLoader.maxBytes)
        guard RequestLoader.isXML(bytes) else {
            throw InputError(file: request, message: "not an XML file: import reads ETSI TS 103 120 (HI-1) messages", hint: "JSON requests need no import")
        }
        let message = try HI1Reader.read(bytes, file: request)
        let translated = try HI1Mapping.request(from: message, policy: policy, file: request)
        let json = RequestDocument.json(translated).pretty
        guard let out else { Output.print(json); return 0 }
        try AtomicFile.write(Array(json.utf8), to: out, overwrite: false)
        var summary = "Request \(translated.id) written to \(out)\n"
        summary += "  from \(message.sender) → authority \(translated.authority); instrument \(translated.instrument.type) (\(translated.instrument.reference))\n"
        for scope in try HI1Mapping.taskScopes(message, file: request) {
            summary += "  task \(scope.task.label): \(scope.categories.sorted().map(\.rawValue).joined(separator: ", ")), \(scope.subjects.count) subject(s), \(scope.window.lowerBound) – \(scope.window.upperBound)\n"
        }
        for d in message.documents {
            summary += "  document \(d.reference ?? d.objectIdentifier) (\(d.type ?? "untyped")): \(d.bytes.map { "\($0) bytes, sha512 \($0 > 0 ? String(d.sha512!.prefix(16)) + "…" : "-")" } ?? "no body")\n"
        }
        Output.print(summary)
        return 0
    }

    /// Writes the HI-1 answer for an approved plan (and its bundle).
    static func respond(plan: String, bundle: String?, out: String, config configPath: String?) throws -> Int32 {
        let config = try ProviderConfig.load(path: configPath)
        let loaded = try HI1AnswerInputs.load(planPath: plan, bundlePath: bundle, config: config)
        let xml = HI1Answer.message(request: loaded.request, outcomes: loaded.outcomes, bundle: loaded.bundle, from: loaded.provider, now: Instant.now)
        try AtomicFile.write(Array(xml.utf8), to: out, overwrite: false)
        var text = "HI-1 answer written to \(out)\n"
        for o in loaded.outcomes {
            text += "  task \(o.reference ?? o.objectIdentifier): \(o.status.rawValue)\(o.reason.map { " — \($0)" } ?? "")\n"
        }
        if let b = loaded.bundle { text += "  delivery: bundle \(b.bundleID), tag manifest sha512 \(b.sha512.prefix(16))…\n" }
        Output.print(text)
        return 0
    }
}
