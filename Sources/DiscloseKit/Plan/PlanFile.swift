/// Reading facts back out of a plan document.
public enum PlanFile {
    /// The request reference recorded in a plan.
    public static func requestReference(_ plan: [UInt8], file: String) throws -> String {
        try PlanModel.read(plan, file: file).inputs.requestFile
    }

    /// The case nonce recorded in a plan (`inputs.case_nonce`).
    public static func caseNonce(_ plan: [UInt8], file: String) throws -> String {
        guard let nonce = try PlanModel.read(plan, file: file).inputs.caseNonce, CaseNonce.isWellFormed(nonce) else {
            throw InputError(file: file, field: "inputs.case_nonce", message: "the plan has no case nonce (64 hex digits)",
                             hint: "make a new plan, and have it approved:", next: .plan())
        }
        return nonce
    }

    /// What differs between two plan documents, as readable lines ("what changed"):
    /// computed from their models (`PlanDifferences`), each change named by its path.
    public static func differences(approved: [UInt8], current: [UInt8]) -> [String] {
        guard let a = try? PlanModel.read(approved, file: "approved plan"), let c = try? PlanModel.read(current, file: "plan") else {
            return ["the documents differ"]
        }
        return PlanDifferences.lines(approved: a, current: c)
    }
}
