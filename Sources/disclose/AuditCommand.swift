import DiscloseKit

/// `disclose audit verify`: walks the hash chain, and checks the heads bundles recorded.
enum AuditCommand {
    static func verify(bundles: [String], config configPath: String?, log logPath: String?, json: Bool) throws -> Int32 {
        let path = try logPath ?? ProviderConfig.load(path: configPath).auditLogPath
        let log = AuditLog(path: path)
        // The bundles' heads first, so the one read of the log checks the chain and keeps
        // the hashes of those entries.
        let recordedHeads = try bundles.map { ($0, try AuditLog.recordedHead(bundle: $0)) }
        let v = try log.verify(recording: Set(recordedHeads.map(\.1.sequence)))
        var problems: [String] = []
        if let p = v.problem { problems.append("line \(p.line): \(p.message)") }
        var heads: [JSONOutput] = []
        for (b, head) in recordedHeads {
            let problem = try log.problem(against: head, verification: v)
            if let problem { problems.append("\(b): \(problem)") }
            heads.append(.object([("bundle", .string(b)), ("sequence", .int(head.sequence)), ("ok", .bool(problem == nil))]))
        }
        if json {
            Output.print(JSONOutput.object([("log", .string(path)), ("ok", .bool(problems.isEmpty)), ("entries", .int(v.entries)),
                                            ("head", .object([("sequence", .int(v.head.sequence)), ("sha512", .string(v.head.hash))])),
                                            ("bundles", .array(heads)), ("problems", .array(problems.map { .string($0) }))]).pretty)
        } else if problems.isEmpty {
            Output.print("Audit log \(path): \(v.entries) entries, chain intact; head \(v.head.sequence) \(v.head.hash.prefix(16))…\n")
            if !bundles.isEmpty { Output.print("Every bundle's recorded head is in the log (no truncation, no rewrite).\n") }
        } else {
            Output.print("Audit log \(path): BROKEN after \(v.entries) intact entries\n")
            for p in problems { Output.print("  - \(p)\n") }
        }
        return problems.isEmpty ? 0 : 1
    }
}
