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

    /// Shows what an authority's UPDATE message changes in the case's request and, with
    /// `--out`, writes the updated request JSON to plan (and approve) again.
    static func importUpdate(update: String, of request: String, out: String?, config configPath: String?) throws -> Int32 {
        let config = try ProviderConfig.load(path: configPath)
        let result = try HI1UpdateDiff.load(updatePath: update, requestPath: request, policy: try Policy.load(path: config.policyPath))
        var text = "Update \(update) of request \(result.old.id):\n"
        if result.changes.isEmpty {
            text += "  nothing Disclose decides on changes; the current plan and its approvals stand\n"
        } else {
            text += result.changes.map { "  \($0)\n" }.joined()
            text += "The request changed: its digest changes, so approvals of the old plan cannot bind it. Plan the updated request and have it approved again.\n"
        }
        if let out {
            try AtomicFile.write(Array(RequestDocument.json(result.new).pretty.utf8), to: out, overwrite: false)
            text += "Updated request written to \(out). Next: disclose plan \(out) --out PLAN\n"
        }
        Output.print(text)
        return 0
    }

    /// Writes the HI-1 message `respond` was asked for: the answer to a plan (optionally
    /// with the bundle in parts), an acknowledgement, or a request for clarification.
    static func respond(_ o: RespondOptions) throws -> Int32 {
        let config = try ProviderConfig.load(path: o.config)
        switch o.mode {
        case .acknowledge:
            let (request, provider) = try HI1AnswerInputs.request(path: o.input, config: config)
            try AtomicFile.write(Array(HI1Acknowledgement.message(request: request, from: provider, now: .now).utf8), to: o.out, overwrite: false)
            Output.print("HI-1 acknowledgement written to \(o.out): receipt of \(1 + request.tasks.count + request.documents.count) object(s)\n")
            return 0
        case let .clarify(text, textFile):
            let (request, provider) = try HI1AnswerInputs.request(path: o.input, config: config)
            let question = try text ?? String(decoding: FileBytes.read(path: textFile!, limit: 60_000), as: UTF8.self)
            guard !question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw InputError(file: textFile ?? "--text", message: "the clarification text is empty")
            }
            let tasks = try HI1AnswerInputs.tasks(o.tasks, in: request, file: o.input)
            let xml = HI1Answer.clarification(request: request, tasks: tasks, text: question, from: provider, now: .now)
            try AtomicFile.write(Array(xml.utf8), to: o.out, overwrite: false)
            Output.print("HI-1 request for clarification written to \(o.out) (task(s): \((tasks.isEmpty ? request.tasks : tasks).map(\.label).joined(separator: ", ")))\n")
            return 0
        case .answer:
            break
        }
        let loaded = try HI1AnswerInputs.load(planPath: o.input, bundlePath: o.bundle, config: config,
                                              update: o.update.map { (request: $0.request, update: $0.update) })
        let now = Instant.now
        var parts: [String] = []
        if let size = o.partSize, let bundle = loaded.bundle, let dir = loaded.bundlePath {
            let disclosed = loaded.outcomes.filter { $0.status == .disclosed }
            guard !disclosed.isEmpty else {
                throw InputError(file: o.input, message: "no task was disclosed: there is nothing to deliver in parts", hint: "drop --part-size and --bundle")
            }
            parts = try HI1DeliveryParts.write(bundlePath: dir, bundleID: bundle.bundleID, tasks: disclosed, request: loaded.request,
                                               from: loaded.provider, now: now, partSize: size, out: o.out)
        }
        let xml = HI1Answer.message(request: loaded.request, outcomes: loaded.outcomes, bundle: loaded.bundle, from: loaded.provider, now: now,
                                    inlineDelivery: o.partSize == nil)
        do { try AtomicFile.write(Array(xml.utf8), to: o.out, overwrite: false) } catch { for p in parts { unlink(p) }; throw error }
        var text = "HI-1 answer written to \(o.out)\n"
        for t in loaded.outcomes {
            text += "  task \(t.reference ?? t.objectIdentifier): \(t.status.rawValue)\(t.refusal.map { " [\($0.rawValue)]" } ?? "")\(t.reason.map { " — \($0)" } ?? "")\n"
        }
        if let b = loaded.bundle { text += "  delivery: bundle \(b.bundleID), tag manifest sha512 \(b.sha512.prefix(16))…\n" }
        if !parts.isEmpty { text += "  in \(parts.count) part message(s): \(parts.first!) … \(parts.last!)\n" }
        Output.print(text)
        return 0
    }

    /// Reassembles a delivery in parts into the tar of the bundle.
    static func importDelivery(parts: [String], out: String) throws -> Int32 {
        let a = try HI1DeliveryAssembly.assemble(paths: parts, out: out)
        Output.print("Delivery \(a.deliveryID): \(a.parts) part(s) checked and reassembled into \(out) (\(a.bytes) bytes, sha512 \(a.sha512.prefix(16))…)\n"
                     + "Next: tar -xf \(out), then disclose verify BUNDLE --signer PROVIDER.pub\n")
        return 0
    }
}
