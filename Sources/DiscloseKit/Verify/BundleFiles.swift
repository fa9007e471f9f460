import Foundation

/// The files of a bundle directory as `verify` reads them (DESIGN rule 8, issue 13.1):
/// the tree is listed once through one directory descriptor, each tag file is read once
/// and kept — so the bytes hashed against the tag manifest are the very bytes parsed —
/// and each payload is opened once, relative to the `data` directory opened during the
/// listing, never through a link.
final class BundleFiles {
    /// The bundle directory.
    let root: DirectoryHandle
    /// `data/`, opened when the tree was listed.
    private var data: DirectoryHandle?
    private var read: [String: Result<[UInt8], InputError>] = [:]

    /// Largest tag file read.
    static let tagFileLimit = 16 << 20

    init(root: DirectoryHandle) { self.root = root }

    /// The regular files of the bundle (relative paths, sorted) and what else was found:
    /// links, special files and directories other than `data`.
    func tree() -> (files: [String], problems: [String]) {
        var files: [String] = [], problems: [String] = []
        func walk(_ dir: DirectoryHandle, _ rel: String) {
            guard let entries = try? dir.entries() else { problems.append("cannot list \(rel.isEmpty ? "." : rel)"); return }
            for (name, type) in entries {
                let r = rel.isEmpty ? name : rel + "/" + name
                switch type {
                case S_IFREG: files.append(r)
                case S_IFDIR:
                    if r == "data", let sub = try? dir.subdirectory(name) { data = sub; walk(sub, r) } else { problems.append("unexpected directory \(r)") }
                case S_IFLNK: problems.append("\(r) is a symbolic link")
                default: problems.append("\(r) is not a regular file")
                }
            }
        }
        walk(root, "")
        return (files, problems)
    }

    /// The bytes of tag file `name`, read on the first call only (at most 16 MiB); later
    /// calls return the same bytes or the same error — never a second read.
    func tagFile(_ name: String) -> Result<[UInt8], InputError> {
        if let r = read[name] { return r }
        let r = Result { try root.read(name, limit: Self.tagFileLimit) }.mapError { $0 as? InputError ?? InputError(file: name, message: "\($0)") }
        read[name] = r
        return r
    }

    /// Opens the file at bundle path `relative` for reading (the caller closes it): a
    /// payload through the `data` directory listed by `tree()`.
    func open(_ relative: String) throws -> Int32 {
        if let data, relative.hasPrefix("data/") {
            let rest = String(relative.dropFirst(5))
            return try data.openFile(rest).fd
        }
        return try root.openFile(relative).fd
    }
}
