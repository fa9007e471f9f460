import Foundation
import DiscloseKit
import Primitives

/// Runs one command line and maps every failure to a message and an exit status:
/// 0 success, 1 refusal or verification failure, 2 usage, input or environment error
/// (disk full, I/O error: `EnvironmentError`).
enum CLI {
    static func run(_ arguments: [String]) -> Int32 {
        let status = outcome(arguments)
        // Standard output that could not be written (a full disk behind a redirection): the
        // answer is lost, so the command did not succeed. A reader that closed the pipe
        // early (EPIPE, `| head`) stopped on purpose.
        if Output.failure != 0, Output.failure != EPIPE {
            Diagnostics.error("<standard output>: write failed: \(String(cString: strerror(Output.failure)))")
            Diagnostics.hint("standard output goes to a full or failing device; free space there (or redirect elsewhere) and run again")
            return status == 0 ? 2 : status
        }
        return status
    }

    /// Runs the command and maps its failure to a message and a status.
    private static func outcome(_ arguments: [String]) -> Int32 {
        do {
            let command = try parse(arguments)
            return try execute(command)
        } catch let e as UsageError {
            Diagnostics.error(e.message)
            if let h = e.hint { Diagnostics.hint(h) }
            return 2
        } catch let e as PassphraseError {
            Diagnostics.error(e.message)
            if let h = e.hint { Diagnostics.hint(h) }
            return 2
        } catch let e as InputError {
            Diagnostics.error(e.description)
            if let h = NextStepCommand.hint(e.hint, e.next) { Diagnostics.hint(h) }
            return 2
        } catch let e as EnvironmentError {
            // The machine failed (disk full, I/O error), not the input: exit 2 as well.
            Diagnostics.error(e.description)
            Diagnostics.hint(e.hint)
            return 2
        } catch let e as Refusal {
            Diagnostics.error(e.message)
            for d in e.details { Diagnostics.write("disclose:   - \(d)\n") }
            if let h = NextStepCommand.hint(e.hint, e.next) { Diagnostics.hint(h) }
            return 1
        } catch {
            return Failures.report(error)
        }
    }

    /// Exit status 2, with an error, when an argument is not valid UTF-8: Swift would hand
    /// it over with U+FFFD in place of the bad bytes, so a path would name another file
    /// than the one typed. Nil when every argument is UTF-8.
    static func nonUTF8Argument() -> Int32? {
        for i in 1..<Int(CommandLine.argc) {
            guard let p = CommandLine.unsafeArgv[i], String(validatingCString: p) == nil else { continue }
            Diagnostics.error("argument \(i) is not valid UTF-8; Disclose reads paths and values as UTF-8 text")
            Diagnostics.hint("rename the file to a UTF-8 name (or pass it through a symbolic link with one)")
            return 2
        }
        return nil
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
        case let .plan(request, config, json, out, sample, sampleOut, html, practice):
            return try PlanCommand.run(request: request, config: config, json: json, out: out, sample: sample, sampleOut: sampleOut, html: html,
                                       practice: practice)
        case let .review(plan, html, config):
            return try ReviewCommand.run(plan: plan, html: html, config: config)
        default:
            return try Commands.execute(command)
        }
    }
}
