import DiscloseKit
import Foundation

/// `disclose review`: a saved plan document read back for people — the terminal report,
/// or with `--html` the reviewer's sheet — so a reviewer reads exactly what they sign.
enum ReviewCommand {
    static func run(plan planPath: String, html: String?, config configPath: String?) throws -> Int32 {
        if let html { try refuseExisting(html) }
        let plan = try FileBytes.read(path: planPath, limit: 64 << 20)
        // The provider's files add descriptions, names, recipients and approvals; a
        // reviewer elsewhere still gets every fact of the plan itself.
        let config: ProviderConfig? = configPath != nil || FileManager.default.fileExists(atPath: ProviderConfig.defaultFileName)
            ? try ProviderConfig.load(path: configPath) : nil
        let context = try config.map { try PlanContext.load(config: $0, planPath: planPath) }
        let view = try PlanView(plan: plan, file: planPath, context: context)
        if let html {
            let sign = NextStepCommand.line(.approve(plan: planPath, key: "YOUR-REVIEWER.key"))
            try AtomicFile.write(Array(ReviewSheet.html(view, planPath: planPath, approveCommand: sign).utf8), to: html, mode: 0o600, overwrite: false)
            Output.print("Reviewer's sheet for plan \(view.digest.prefix(16))… written to \(html)\n")
        } else {
            Output.print(PlanReport.text(view, style: .detect(fd: 1), approveCommand: NextStepCommand.line(.approve(plan: planPath))))
        }
        return 0
    }

    /// An HTML sheet is never written over an existing file: say so before any work.
    static func refuseExisting(_ path: String) throws {
        var st = stat()
        if lstat(path, &st) == 0 { throw InputError(file: path, message: "already exists; refusing to overwrite", hint: "choose a new --html FILE") }
    }
}
