import DiscloseKit

/// `disclose report`: the transparency table over the audit log, and its SVG chart.
enum ReportCommand {
    static func run(from: Instant, to: Instant, format: LifecycleCommand.ReportFormat, chart: String?, config configPath: String?, log logPath: String?) throws -> Int32 {
        let config = logPath == nil ? try ProviderConfig.load(path: configPath) : nil
        let path = logPath ?? config!.auditLogPath
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
