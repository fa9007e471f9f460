import Foundation
import Primitives

/// Where `verify --extract` puts authenticated plaintext (issue 13.4).
///
/// The directory is created by `mkdir` with mode 0700 — refused if anything exists at the
/// path, so a directory another user made in advance (e.g. under /tmp) never receives the
/// plaintext — and is then used only through its descriptor. Files are written under
/// temporary names (`.NAME.partial`) and given their final names by `placeAll()` only
/// once every check of the verification has held; `discard()` removes them and the
/// directory otherwise. A forged payload therefore never appears under its final name.
public final class ExtractionDirectory {
    /// The path as given.
    public let path: String
    let directory: DirectoryHandle
    private var pending: [(temp: String, final: String)] = []
    private var placed: [String] = []

    /// Creates the new directory `path` (mode 0700), refusing an existing one.
    public init(creating path: String) throws {
        guard mkdir(path, 0o700) == 0 else {
            let e = errno
            if e == EEXIST {
                throw InputError(file: path, message: "already exists; extraction never writes into an existing file or directory",
                                 hint: "choose a new --extract path; verify creates the directory itself (mode 0700)")
            }
            throw EnvironmentError.failure(errno: e, file: path, operation: "cannot create the extraction directory",
                                           hint: "check that the parent directory exists and is writable")
        }
        self.path = path
        do {
            directory = try DirectoryHandle(path: path)
        } catch {
            throw InputError(file: path, message: "the new extraction directory was replaced before it could be opened", hint: "use a directory only you can write to")
        }
        var st = stat()
        guard fstat(directory.fd, &st) == 0, st.st_uid == geteuid(), st.st_mode & 0o077 == 0 else {
            throw InputError(file: path, message: "the new extraction directory was replaced by one this user does not own alone",
                             hint: "use a parent directory only you can write to")
        }
    }

    /// Whether `name` may be the final name of an extracted file: one plain component.
    public static func acceptable(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.hasPrefix(".") && name.utf8.count <= 200
    }

    /// A new file (mode 0600) that becomes `name` when `placeAll()` runs.
    func writer(for name: String) throws -> HashingFileWriter {
        guard Self.acceptable(name), !pending.contains(where: { $0.final == name }) else {
            throw InputError(file: directory.describe(name), message: "not an acceptable or unique file name for extraction")
        }
        let temp = "." + name + ".partial"
        let fd = try directory.create(temp, mode: 0o600)
        pending.append((temp, name))
        return try HashingFileWriter(file: AppendOnlyFile(fileDescriptor: fd, path: directory.describe(temp)))
    }

    /// Forgets the file for `name` written so far (its bytes did not check out).
    func drop(_ name: String) {
        guard let i = pending.firstIndex(where: { $0.final == name }) else { return }
        directory.remove(pending[i].temp)
        pending.remove(at: i)
    }

    /// Gives every written file its final name (never replacing anything) and returns the
    /// paths; on a failure everything is discarded and the error thrown.
    public func placeAll() throws -> [String] {
        do {
            for p in pending {
                try directory.place(p.temp, as: p.final)
                placed.append(p.final)
            }
        } catch {
            discard()
            throw error
        }
        pending = []
        directory.sync()
        return placed.map { directory.describe($0) }
    }

    /// Removes every file written (temporary or placed) and the directory.
    public func discard() {
        for p in pending { directory.remove(p.temp) }
        for name in placed { directory.remove(name) }
        pending = []
        placed = []
        rmdir(path)
    }
}
