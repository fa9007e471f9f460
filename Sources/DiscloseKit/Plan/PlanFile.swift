import Foundation
import Primitives

/// Reading facts back out of a plan document.
public enum PlanFile {
    /// The request reference recorded in a plan.
    public static func requestReference(_ plan: [UInt8], file: String) throws -> String {
        let root = try DocumentJSON.parse(plan, file: file, limit: 64 << 20)
        guard root["format"]?.string == PlanDocument.format, let ref = root["inputs"]?["request_file"]?.string else {
            throw InputError(file: file, message: "not a disclose plan document (\(PlanDocument.format))", hint: "make one with:", next: .plan())
        }
        return ref
    }

    /// The case nonce recorded in a plan (`inputs.case_nonce`).
    public static func caseNonce(_ plan: [UInt8], file: String) throws -> String {
        let root = try DocumentJSON.parse(plan, file: file, limit: 64 << 20)
        guard let nonce = root["inputs"]?["case_nonce"]?.string, CaseNonce.isWellFormed(nonce) else {
            throw InputError(file: file, field: "inputs.case_nonce", message: "the plan has no case nonce (64 hex digits)",
                             hint: "make a new plan, and have it approved:", next: .plan())
        }
        return nonce
    }

    /// What differs between two plan documents, as readable lines ("what changed").
    public static func differences(approved: [UInt8], current: [UInt8]) -> [String] {
        func lines(_ b: [UInt8]) -> [String] { String(decoding: b, as: UTF8.self).split(separator: "\n").map(String.init) }
        let a = lines(approved), c = lines(current)
        var out: [String] = []
        let labels = [("request_sha512", "the request file changed"), ("data_map_sha512", "the data map changed"),
                      ("policy_sha512", "the policy changed"), ("\"blake2b512\"", "a dataset's scoped output changed (the data changed)"),
                      ("\"scanned\"", "the number of records in a dataset changed")]
        for (key, label) in labels {
            let x = a.filter { $0.contains(key) }, y = c.filter { $0.contains(key) }
            if x != y { out.append(label) }
        }
        var shown = 0
        for (i, line) in a.enumerated() where shown < 8 {
            let other = i < c.count ? c[i] : "<missing>"
            if other != line { out.append("line \(i + 1): approved \(line.trimmingCharacters(in: .whitespaces)) — now \(other.trimmingCharacters(in: .whitespaces))"); shown += 1 }
        }
        if c.count != a.count { out.append("the plan has \(c.count) lines now, \(a.count) when approved") }
        return out.isEmpty ? ["the documents differ"] : out
    }
}
