import Foundation
import DiscloseKit

/// Runs one command line and maps every failure to a message and an exit status:
/// 0 success, 1 refusal or verification failure, 2 usage or input error.
enum CLI {
    static func run(_ arguments: [String]) -> Int32 {
        do {
            let command = try parse(arguments)
            return try execute(command)
        } catch let e as UsageError {
            Diagnostics.error(e.message)
            if let h = e.hint { Diagnostics.hint(h) }
            return 2
        } catch let e as InputError {
            Diagnostics.error(e.description)
            if let h = e.hint { Diagnostics.hint(h) }
            return 2
        } catch let e as Refusal {
            Diagnostics.error(e.message)
            for d in e.details { Diagnostics.write("disclose:   - \(d)\n") }
            if let h = e.hint { Diagnostics.hint(h) }
            return 1
        } catch {
            return Failures.report(error)
        }
    }

    static func execute(_ command: Command) throws -> Int32 {
        switch command {
        case .help(let topic):
            guard let text = Usage.text(for: topic) else {
                throw UsageError(message: "no help for '\(topic ?? "")'", hint: "disclose --help lists the commands")
            }
            Output.print(text + "\n")
            return 0
        case .manPage:
            Output.print(ManPage.text)
            return 0
        case .completion(let shell):
            Output.print(ShellCompletion.script(for: shell) ?? "")
            return 0
        case .version:
            Output.print(Usage.version + "\n")
            return 0
        case let .plan(request, config, json, out, sample, html):
            return try PlanCommand.run(request: request, config: config, json: json, out: out, sample: sample, html: html)
        case let .review(plan, html, config):
            return try ReviewCommand.run(plan: plan, html: html, config: config)
        default:
            return try Commands.execute(command)
        }
    }
}
