import Foundation

/// The outcome of verifying a bundle: every check with its result, so the authority sees
/// exactly what held and what did not.
public struct VerificationReport: Sendable {
    /// One check.
    public struct Check: Sendable {
        /// What was checked (a file or a property).
        public var name: String
        /// Whether it held.
        public var ok: Bool
        /// Details or the reason it failed.
        public var detail: String
        /// True when it failed only because no given identity is a recipient.
        public var identityNotARecipient = false
    }

    /// All checks, in the order made.
    public var checks: [Check] = []
    /// Bundle id, when readable.
    public var bundleID: String?
    /// Request id, when readable.
    public var requestID: String?
    /// Files extracted (with --extract).
    public var extracted: [String] = []
    /// True for a PRACTICE bundle (`disclosure.json` `"practice": true`): not a case, never logged.
    public var practice = false
    /// Things the authority should know that do not fail the bundle (e.g. no approval required).
    public var warnings: [String] = []
    /// The recipients `disclosure.json` lists, when readable.
    public var recipients: [String] = []
    /// True when every check held.
    public var ok: Bool { !checks.isEmpty && checks.allSatisfy(\.ok) }

    /// True when the bundle itself checked out (signature, manifests, approvals) and the
    /// only failures are payloads that no given identity can decrypt: the wrong key was
    /// given, which says nothing against the bundle.
    public var onlyIdentityFailed: Bool {
        let failed = checks.filter { !$0.ok }
        return !failed.isEmpty && failed.allSatisfy(\.identityNotARecipient)
    }

    mutating func add(_ name: String, _ ok: Bool, _ detail: String, identityNotARecipient: Bool = false) {
        checks.append(Check(name: name, ok: ok, detail: detail, identityNotARecipient: identityNotARecipient))
    }

    /// The report as JSON.
    public var json: JSONOutput {
        .object([("ok", .bool(ok)), ("bundle_id", .optional(bundleID)), ("request_id", .optional(requestID)),
                 ("checks", .array(checks.map { .object([("check", .string($0.name)), ("ok", .bool($0.ok)), ("detail", .string($0.detail))]) })),
                 ("warnings", .array(warnings.map { .string($0) })),
                 ("identity_not_a_recipient", .bool(onlyIdentityFailed)),
                 ("extracted", .array(extracted.map { .string($0) }))])
    }

    /// The report as text.
    public var text: String {
        var out = "Bundle \(bundleID ?? "?") for request \(requestID ?? "?")\n"
        for c in checks { out += "  [\(c.ok ? "ok  " : "FAIL")] \(c.name): \(c.detail)\n" }
        for w in warnings { out += "  [WARN] \(w)\n" }
        if ok {
            out += "VERIFIED: every check holds\(warnings.isEmpty ? "" : " (\(warnings.count) warning(s) above)").\n"
        } else if onlyIdentityFailed {
            out += "NOT DECRYPTED: the signature, manifests and approvals hold, but none of the given identities is among the bundle's \(recipients.count) recipient(s). "
                + "Give the age identity of a listed recipient, or verify without --identity to check the bundle alone.\n"
        } else {
            out += "NOT VERIFIED: \(checks.filter { !$0.ok }.count) check(s) failed. Do not rely on this bundle; discard anything extracted from it.\n"
        }
        return out
    }
}
