import DiscloseKit

/// `disclose report`: the transparency table over the audit log, and its SVG chart.
enum ReportCommand {
    static func run(from: Instant, to: Instant, format: LifecycleCommand.ReportFormat, chart: String?, config configPath: String?, log logPath: String?) throws -> Int32 {
        let path = try logPath ?? ProviderConfig.load(path: configPath).auditLogPath
        let report = TransparencyReport.build(try CaseLedger.load(AuditLog(path: path)), from: from, to: to)
        switch format {
        case .text: Output.print(report.text)
        case .json: Output.print(report.json.pretty)
        case .csv: Output.print(report.csv)
        }
        if let chart {
            try AtomicFile.write(Array(ReportChart.svg(report).utf8), to: chart, overwrite: true)
            if format == .text { Output.print("Chart written to \(chart)\n") }
        }
        return 0
    }
}
