import DiscloseKit
import Primitives

/// The command line of each step the library suggests (`NextStep`): the library names the
/// step, this front end spells it as its own command, with placeholders in capitals for
/// what the user supplies.
enum NextStepCommand {
    /// The command line for `step`.
    static func line(_ step: NextStep) -> String {
        switch step {
        case let .plan(request, out, practice):
            return "disclose plan \(request ?? "REQUEST")\(practice ? " --practice" : "") --out \(out ?? "PLAN")"
        case let .approve(plan, key): return "disclose approve \(plan ?? "PLAN") --key \(key ?? "KEY")"
        case let .export(plan, again): return "disclose export \(plan ?? "PLAN") --out DIR\(again ? " --again --reason TEXT" : "")"
        case let .preserve(request): return "disclose preserve \(request ?? "REQUEST") --out DIR"
        case let .receive(request): return "disclose case receive \(request ?? "REQUEST")"
        case let .close(id): return "disclose case close \(id) --reason TEXT"
        case let .notified(id): return "disclose case notified \(id)"
        case let .followUp(id): return "disclose case follow-up \(id) --reference TEXT"
        case let .status(all): return all ? "disclose status --all" : "disclose status"
        case .verifyAuditLog: return "disclose audit verify"
        case let .makeRecipientKey(out): return "disclose keygen recipient --out \(out ?? "FILE")"
        case let .makePseudonymSecret(out): return "disclose keygen pseudonym --out \(out ?? "FILE")"
        }
    }

    /// The hint line: the library's words, then the command of its step (either may be absent).
    static func hint(_ text: String?, _ next: NextStep?) -> String? {
        switch (text, next.map(line)) {
        case let (t?, c?): return t + " " + c
        case let (t?, nil): return t
        case let (nil, c?): return c
        case (nil, nil): return nil
        }
    }

    /// How a case moves on, as one line (`disclose status`).
    static func advice(_ a: CaseNextStep.Advice) -> String {
        switch a {
        case let .nothing(text): return text
        case let .step(step, note): return line(step) + (note.map { " (\($0))" } ?? "")
        case let .either(step, note, other): return line(step) + (note.map { " (\($0))" } ?? "") + ", or " + line(other)
        }
    }
}
