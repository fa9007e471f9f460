import Foundation
import Primitives
import DiscloseKit

/// Messages on stderr in the `disclose: error: …` / `disclose: hint: …` form.
enum Diagnostics {
    static func error(_ message: String) { write("disclose: error: \(message)\n") }
    static func hint(_ message: String) { write("disclose: hint: \(message)\n") }
    static func warning(_ message: String) { write("disclose: warning: \(message)\n") }
    static func note(_ message: String) { write("disclose: \(message)\n") }

    static func write(_ s: String) {
        FileHandle.standardError.write(s.data(using: .utf8)!)
    }
}

/// Standard output (unbuffered writes of whole strings).
enum Output {
    /// The errno of the first write to standard output that failed (0 when none did). A
    /// lost answer must not pass for a success: `CLI.run` turns it into an error.
    nonisolated(unsafe) private(set) static var failure: Int32 = 0

    static func print(_ s: String) { write(Array(s.utf8)) }

    static func write(_ bytes: [UInt8]) {
        guard failure == 0 else { return }
        failure = bytes.withUnsafeBytes { WriteAll.write(1, $0) }
    }
}
