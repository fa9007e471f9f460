/// Splitting and joining file-system paths as text, for every path a user may type.
///
/// Why not Foundation: `NSString.deletingLastPathComponent` traps (SIGILL) on a
/// one-character relative path such as `p` on Linux, and its siblings normalise in ways
/// that differ between platforms. These functions work on the path's UTF-8 bytes with
/// POSIX `dirname`/`basename` rules, never trap, and never touch the file system.
///
/// | path | directory | name |
/// |---|---|---|
/// | `p` | `.` | `p` |
/// | `./p` | `.` | `p` |
/// | `p/` | `.` | `p` |
/// | `/p` | `/` | `p` |
/// | `../p` | `..` | `p` |
/// | `a//b//` | `a` | `b` |
/// | `/` | `/` | `` (empty) |
/// | `` | `.` | `` (empty) |
public enum PathName {
    private static let slash = UInt8(ascii: "/")

    /// The directory holding the last component, and that component.
    public static func split(_ path: String) -> (directory: String, name: String) {
        var b = Array(path.utf8)
        while b.count > 1, b.last == slash { b.removeLast() }
        if b == [slash] { return ("/", "") }
        guard let i = b.lastIndex(of: slash) else { return (".", String(decoding: b, as: UTF8.self)) }
        let name = String(decoding: b[(i + 1)...], as: UTF8.self)
        var d = b[..<i]
        while d.count > 1, d.last == slash { d.removeLast() }
        return (d.isEmpty ? "/" : String(decoding: d, as: UTF8.self), name)
    }

    /// The directory part of `path` (`.` for a bare name); see `split`.
    public static func directory(_ path: String) -> String { split(path).directory }

    /// The last component of `path` (trailing slashes ignored); see `split`.
    public static func name(_ path: String) -> String { split(path).name }

    /// `directory/name`, without doubling the slash after `/`.
    public static func join(_ directory: String, _ name: String) -> String {
        directory.utf8.last == slash ? directory + name : directory + "/" + name
    }

    /// A file named `name` in the directory of `path`: where temporary files, markers and
    /// approvals beside `path` go.
    public static func sibling(of path: String, named name: String) -> String {
        join(directory(path), name)
    }
}
