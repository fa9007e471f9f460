/// No passphrase could be obtained (no terminal, a mismatch, an empty one): a usage
/// problem, reported like one (exit 2, with what to do instead).
public struct PassphraseError: Error, Sendable, Equatable {
    /// What went wrong.
    public var message: String
    /// What to do instead.
    public var hint: String?

    /// Builds the error.
    public init(message: String, hint: String?) { self.message = message; self.hint = hint }
}
