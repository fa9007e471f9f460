@_exported import HI1
@_exported import Primitives

/// The boundary between the HI1 format module and Disclose: an `HI1Error` becomes the
/// `InputError` it describes (same file, place, message and hint), so the CLI reports it
/// as before (`disclose: error: …`, exit 2). The HI1 and Primitives modules are
/// re-exported so that users of DiscloseKit see the HI-1 model and `Instant` as before.
extension InputError {
    /// The `InputError` carrying exactly what `e` says.
    public init(_ e: HI1Error) {
        self.init(file: e.file, line: e.line, column: e.column, field: e.field, message: e.message, hint: e.hint)
    }

    /// Runs `body` (a call into the HI1 module), turning an `HI1Error` it throws into an
    /// `InputError`; every other error passes unchanged.
    public static func fromHI1<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as HI1Error { throw InputError(e) }
    }
}
