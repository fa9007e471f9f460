import DiscloseKit

/// `disclose status`: open cases, most urgent first, with their deadlines (rendered by
/// `CaseStatusReport`).
enum StatusCommand {
    static func run(config configPath: String?, json: Bool, all: Bool, at: String?, timeZone: String?) throws -> Int32 {
        let config = try ProviderConfig.load(path: configPath)
        let policy = try Policy.load(path: config.policyPath)
        let now = try at.map { try LegalTime.commandLine($0, option: "--at", bound: .start, zoneName: timeZone ?? config.timeZone) } ?? .now
        let histories = try CaseLedger.load(AuditLog(path: config.auditLogPath))
        let lines = CaseStatus.lines(histories, policy: policy, now: now, all: all)
        let voided = CaseStatus.voidedCount(histories)
        Output.print(json ? CaseStatusReport.json(lines, voided: voided, now: now, next: NextStepCommand.advice).pretty
                          : CaseStatusReport.text(lines, voided: voided, now: now, all: all, next: NextStepCommand.advice))
        return 0
    }
}
