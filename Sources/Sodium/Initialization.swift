import CSodium

/// Makes sure `sodium_init()` ran before any libsodium call.
///
/// libsodium must be initialised once per process; every public entry point of this
/// module calls `ensureInitialized()` first, so callers never have to remember it.
enum Library {
    private static let status: Int32 = sodium_init()

    /// Runs `sodium_init()` once; traps only if libsodium cannot initialise at all
    /// (no usable randomness source), which no caller can recover from.
    static func ensureInitialized() {
        precondition(status >= 0, "libsodium failed to initialise (sodium_init)")
    }
}
