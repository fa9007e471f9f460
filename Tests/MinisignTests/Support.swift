import DiscloseTestSupport
import Foundation
import Minisign
import Sodium
import Testing

/// Locates and runs the stock `minisign` tool. A missing tool skips the interop tests,
/// except under `CI=true`, where the tests run and record an issue instead.
enum MinisignTool {
    /// Path of the tool: `$MINISIGN` if set, else the first `minisign` on `$PATH`.
    static let path: String? = {
        let env = ProcessInfo.processInfo.environment
        if let explicit = env["MINISIGN"], FileManager.default.isExecutableFile(atPath: explicit) { return explicit }
        return ToolLookup.path("minisign")
    }()

    static var isCI: Bool { ToolLookup.isCI }

    /// Condition for `.enabled(if:)`: run when the tool exists, and always under CI.
    static let shouldRun = path != nil || isCI

    struct Missing: Error, CustomStringConvertible {
        var description: String { "minisign not found (CI=true makes this a failure, not a skip)" }
    }

    /// The tool's path, or a recorded issue and a thrown error.
    static func require() throws -> String {
        guard let path else {
            Issue.record("minisign is required under CI=true but was not found on PATH")
            throw Missing()
        }
        return path
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs minisign with `arguments` in `directory`, feeding `stdin` (passwords), through
    /// the shared `Run`.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL, stdin: String = "") throws -> Result {
        let r = try Run.command(try require(), arguments, in: directory.path, input: Array(stdin.utf8))
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }
}

/// A fresh temporary directory (`TempDir`), removed when `body` returns.
func withTemporaryDirectory<R>(_ body: (URL) throws -> R) throws -> R {
    let dir = try TempDir("minisign-tests")
    return try body(dir.url)
}

extension URL {
    func write(_ text: String) throws { try Data(text.utf8).write(to: self) }
    func write(_ bytes: [UInt8]) throws { try Data(bytes).write(to: self) }
    func text() throws -> String { String(decoding: try Data(contentsOf: self), as: UTF8.self) }
    func bytes() throws -> [UInt8] { [UInt8](try Data(contentsOf: self)) }
}

/// The golden vectors in `Vectors/`, made with minisign 0.11 (see its README).
enum Vectors {
    static func url(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Vectors"))
    }
    static func text(_ name: String) throws -> String { try url(name).text() }
    static func bytes(_ name: String) throws -> [UInt8] { try url(name).bytes() }
}

/// Passphrases are test-only and written here on purpose.
func passphrase(_ text: String) -> SecretBytes { SecretBytes(copying: Array(text.utf8)) }

/// Cheap scrypt limits (N = 2^14) so tests of protected keys stay fast; minisign
/// accepts any stored limits.
let cheapLimits = SecretKey.ScryptLimits(opsLimit: 524_288, memLimit: 16_777_216)

/// Lines of a text file without their LF.
func lines(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
}

/// Rebuilds a file from lines, LF-terminated.
func joined(_ lines: [String]) -> String { lines.joined(separator: "\n") }

/// Replaces line `index` of a multi-line text.
func replacingLine(_ index: Int, in text: String, with newLine: String) -> String {
    var l = lines(text)
    l[index] = newLine
    return joined(l)
}

/// Decodes a base64 line, lets `edit` change the bytes, re-encodes it padded.
func editingBlob(_ line: String, _ edit: (inout [UInt8]) -> Void) -> String {
    var bytes = Base64.padded.decode(line)!
    edit(&bytes)
    return Base64.padded.encode(bytes)
}
