import Foundation

/// A temporary directory removed on deinit (kept when DISCLOSE_KEEP_TEMP=1).
package final class TempDir: @unchecked Sendable {
    package let path: String

    package init(_ label: String = "disclose-test") throws {
        let p = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        // Resolve /tmp symlinks so paths printed by the tool match ours.
        path = URL(fileURLWithPath: p).resolvingSymlinksInPath().path
    }

    package func callAsFunction(_ relative: String) -> String { path + "/" + relative }

    deinit {
        if ProcessInfo.processInfo.environment["DISCLOSE_KEEP_TEMP"] == "1" { print("kept \(path)"); return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The directory as a file URL.
    package var url: URL { URL(fileURLWithPath: path) }

    /// Writes `bytes` to `name` in the directory and returns its URL.
    @discardableResult
    package func file(_ name: String, _ bytes: [UInt8]) -> URL {
        let u = url.appendingPathComponent(name)
        try! Data(bytes).write(to: u)
        return u
    }

    /// Writes UTF-8 `text` to `name` in the directory and returns its URL.
    @discardableResult
    package func file(_ name: String, _ text: String) -> URL { file(name, Array(text.utf8)) }
}
