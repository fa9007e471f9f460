/// `disclose audit verify`'s answer as the library renders it — JSON for a machine, text
/// for a person — so the command line only prints.
extension AuditCheck {
    /// The JSON answer (`audit verify --json`) for the log at `path`.
    public func json(log path: String) -> JSONOutput {
        .object([("log", .string(path)), ("ok", .bool(ok)), ("entries", .int(entries)),
                 ("head", .object([("sequence", .int(head.sequence)), ("sha512", .string(head.hash))])),
                 ("signed_heads", .int(signedHeads)), ("last_signed", .int(lastSigned)),
                 ("unsigned_tail", .int(unsignedTail)),
                 ("bundles", .array(bundles.map { .object([("bundle", .string($0.bundle)), ("sequence", .int($0.sequence)), ("ok", .bool($0.ok))]) })),
                 ("problems", .array(problems.map { .string($0) }))])
    }

    /// The text answer for the log at `path`; `bundlesChecked` says whether bundles' heads
    /// were compared.
    public func text(log path: String, bundlesChecked: Bool) -> String {
        if ok && entries == 0 { return "Audit log \(path) is empty: nothing has been recorded with this configuration yet.\n" }
        guard ok else { return "Audit log \(path): BROKEN (\(entries) intact entries)\n" + problems.map { "  - \($0)\n" }.joined() }
        var out = "Audit log \(path): \(entries) entries, chain intact; head \(head.sequence) \(head.hash.prefix(16))…\n"
        if lastSigned > 0 {
            out += "Signed by the provider key through entry \(lastSigned) (\(signedHeads) signed head(s)); \(unsignedTail) later entr\(unsignedTail == 1 ? "y is" : "ies are") covered by the chain only.\n"
        } else {
            out += "No signed head yet (no export, no checkpoint): the chain alone cannot show entries removed with their links recomputed.\n"
        }
        if bundlesChecked { out += "Every bundle's recorded head is in the log (no truncation, no rewrite).\n" }
        return out
    }
}
