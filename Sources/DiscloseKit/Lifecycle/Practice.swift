import Primitives
/// Practice runs (`--practice` on `plan`, `approve`, `export`, `preserve`): the work is
/// done exactly as for a real case, every output is marked PRACTICE, and nothing is
/// written to the audit log, so a rehearsal never becomes a case in `status` or the
/// transparency report. The mark is part of the signed plan document, so a practice plan
/// (and its approvals) can never be exported as real, nor a real plan as practice.
public enum Practice {
    /// The word every practice output carries.
    public static let marker = "PRACTICE"

    /// Whether the plan document `plan` is a practice plan (member `"practice": true`).
    public static func isPractice(plan: [UInt8], file: String) throws -> Bool {
        try PlanModel.read(plan, file: file).practice
    }

    /// Refuses (exit 1) unless the plan at `file` was made in the mode asked for:
    /// practice plans only with `--practice`, real plans only without it.
    public static func requireMode(plan: [UInt8], file: String, practice: Bool, command: String) throws {
        let isPractice = try isPractice(plan: plan, file: file)
        if isPractice && !practice {
            throw Refusal("\(command) refused: \(file) is a PRACTICE plan; a practice plan is never exported or approved as real",
                          hint: "add --practice to rehearse, or make a real plan with:", next: .plan())
        }
        if !isPractice && practice {
            throw Refusal("\(command) refused: \(file) is a real plan; --practice works only on a practice plan (planned with --practice)",
                          hint: "rehearse with:", next: .plan(practice: true))
        }
    }
}
