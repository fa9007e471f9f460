import DiscloseKit

/// `disclose report`: the transparency table over the audit log, and its SVG chart.
enum ReportCommand {
    static func run(from fromText: String, to toText: String, timeZone: String?, format: LifecycleCommand.ReportFormat, chart: String?,
                    config configPath: String?, log logPath: String?) throws -> Int32 {
        let config = logPath == nil ? try ProviderConfig.load(path: configPath) : nil
        let path = logPath ?? config!.auditLogPath
        let zone = timeZone ?? config?.timeZone
        let from = try LegalTime.commandLine(fromText, option: "--from", bound: .start, zoneName: zone)
        // The report counts receipts before its end; a plain --to date counts its whole day.
        let last = try LegalTime.commandLine(toText, option: "--to", bound: .end, zoneName: zone)
        let to = LegalTime.isPlainDate(toText) ? Instant(nanoseconds: last.nanoseconds + 1) : last
        guard from < to else { throw UsageError(message: "--to lies before --from", hint: nil) }
        let histories = try CaseLedger.load(AuditLog(path: path))
        let report = TransparencyReport.build(histories, from: from, to: to)
        switch format {
        case .text: Output.print(report.text)
        case .json: Output.print(report.json.pretty)
        case .csv: Output.print(report.csv)
        }
        if let chart {
            try AtomicFile.write(Array(ReportChart.svg(report, provider: config?.provider,
                                                          periods: TransparencyReport.halfYears(histories, from: from, to: to)).utf8), to: chart, overwrite: true)
            if format == .text { Output.print("Chart written to \(chart)\n") }
        }
        return 0
    }
}
