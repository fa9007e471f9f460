import DiscloseKit

/// `disclose case receive|no-data|follow-up|extend|close`: lifecycle events recorded by hand.
enum CaseCommand {
    static func run(_ command: LifecycleCommand) throws -> Int32 {
        switch command {
        case let .receive(request, configPath, acknowledge):
            let config = try ProviderConfig.load(path: configPath)
            let h = try CaseRecording.receive(config: config, requestPath: request, acknowledge: acknowledge)
            if let acknowledge { Output.print("HI-1 acknowledgement written to \(acknowledge)\n") }
            Output.print("Received \(h.id) (\(h.instrument ?? "?"), \(h.authority ?? "?")) at \(h.received.map(\.description) ?? "?")\(h.emergency ? "; EMERGENCY" : "")\n")
            if let policy = try? Policy.load(path: config.policyPath) {
                for d in CaseStatus.deadlines(h, policy: policy) { Output.print("  \(d.kind.rawValue.replacingOccurrences(of: "_", with: " ")) due \(d.due)\n") }
            }
            Output.print("Next: disclose \(h.preservation ? "preserve \(request) --out DIR" : "plan \(request) --out PLAN")\n")
        case let .noData(id, reason, configPath):
            try CaseRecording.noData(log: try log(configPath), caseID: id, reason: reason)
            Output.print("Recorded for \(id): no data found\n")
        case let .followUp(id, reference, configPath):
            try CaseRecording.followUp(log: try log(configPath), caseID: id, reference: reference)
            Output.print("Recorded for \(id): follow-up legal process received (\(reference))\n")
        case let .extend(id, reference, configPath):
            let config = try ProviderConfig.load(path: configPath)
            let until = try CaseRecording.extend(log: AuditLog(path: config.auditLogPath), policy: try Policy.load(path: config.policyPath),
                                                 caseID: id, reference: reference)
            Output.print("Preservation of \(id) extended until \(until) (\(reference)); no further extension is possible\n")
        case let .close(id, reason, configPath):
            try CaseRecording.close(log: try log(configPath), caseID: id, reason: reason)
            Output.print("Closed \(id)\n")
        default:
            return try command.run()
        }
        return 0
    }

    private static func log(_ configPath: String?) throws -> AuditLog {
        AuditLog(path: try ProviderConfig.load(path: configPath).auditLogPath)
    }
}
