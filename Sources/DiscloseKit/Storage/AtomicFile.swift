import Foundation
import Primitives

/// Writes files so that readers see either nothing or the whole file: a temporary name
/// in the same directory, fsync, then rename (and fsync of the directory), all done by
/// `AtomicWriter` (Primitives), the one such writer; this adds path checks and the sweep
/// of killed writers' leftovers.
public enum AtomicFile {
    /// Writes `bytes` to `path` with `mode` (0600 unless said otherwise: what Disclose
    /// writes holds case data; only public keys and bundle files are meant to be read by
    /// others). The mode is set with `fchmod`, so the umask neither widens nor narrows it.
    /// With `overwrite: false` an existing file is an error rather than silently replaced.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600, overwrite: Bool = true) throws {
        let (dir, name) = try fileName(path)
        if !overwrite, FileManager.default.fileExists(atPath: path) || isSymlink(path) {
            throw InputError(file: path, message: "already exists; refusing to overwrite", hint: "choose another path or remove the old file first")
        }
        sweepStale(dir: dir, name: name)
        let writer = try AtomicWriter(directory: dir, name: name, path: path, mode: mode)
        try writer.write(bytes)
        try writer.commit(overwrite: overwrite)
    }

    /// The directory and name of a file to be written at `path`; a path that cannot name
    /// a file (empty, ending in `/`, `.` or `..`) is an input error rather than a guess.
    public static func fileName(_ path: String) throws -> (directory: String, name: String) {
        let (dir, name) = PathName.split(path)
        guard !name.isEmpty, name != ".", name != "..", path.utf8.last != UInt8(ascii: "/") else {
            throw InputError(file: path.isEmpty ? "<empty path>" : path, message: "does not name a file", hint: "give a file name, e.g. ./out.json")
        }
        return (dir, name)
    }

    /// Removes the leftovers of killed writers of `name` in `dir`: entries named
    /// `.NAME<marker>PID-…` whose process is gone (temporary files of atomic writes,
    /// partial bundle directories). They are never read as results, but should not pile up.
    static func sweepStale(dir: String, name: String, marker: String = ".tmp-") {
        for entry in entriesOfGoneProcesses(dir: dir, prefix: "." + name + marker) {
            try? FileManager.default.removeItem(atPath: PathName.join(dir, entry))
        }
    }

    /// The entries of `dir` named `PREFIX<pid>-…` whose process no longer runs, sorted:
    /// what killed writers and exports leave behind.
    static func entriesOfGoneProcesses(dir: String, prefix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { entry in
            guard entry.hasPrefix(prefix), let pid = Int32(entry.dropFirst(prefix.count).split(separator: "-").first ?? "") else {
                return false
            }
            return kill(pid, 0) != 0 && errno == ESRCH
        }.sorted()
    }

    /// fsyncs a directory so a rename in it survives a crash (`AtomicWriter.syncDirectory`).
    public static func syncDirectory(_ dir: String) { AtomicWriter.syncDirectory(dir) }

    static func isSymlink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }
}
