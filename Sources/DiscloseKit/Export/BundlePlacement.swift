import Foundation
import Primitives

/// A directory built under a temporary name beside its destination
/// (`.NAME.partial-PID-ID`) and renamed into place, never over anything, only when
/// complete: a bundle or a preservation. Until then `discardUnlessPlaced` stops the file
/// writers made in it (so nothing is written after the removal) and removes it; one left
/// by a killed process is swept by the next attempt at the same name. It holds only
/// ciphertext and never verifies.
final class PartialDirectory {
    /// The temporary directory.
    let path: String
    let destination: String
    private let parent: String
    /// "bundle", "preservation": for messages.
    private let what: String
    private var writers: [HashingFileWriter] = []
    private var placed = false

    /// Creates the temporary directory for `destination` (whose parent must exist), with
    /// `subdirectories`, after sweeping those of dead processes.
    init(for destination: String, id: String, subdirectories: [String] = [], what: String) throws {
        let (dir, name) = PathName.split(destination)
        parent = dir
        self.destination = destination
        self.what = what
        AtomicFile.sweepStale(dir: parent, name: name, marker: ".partial-")
        path = PathName.join(parent, "." + name + ".partial-\(getpid())-" + id)
        guard mkdir(path, 0o700) == 0 else {
            throw EnvironmentError.failure(errno: errno, file: destination, operation: "cannot create the \(what) directory",
                                           hint: "check that \(parent) exists and is writable")
        }
        for sub in subdirectories where mkdir(path + "/" + sub, 0o700) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: path)
            throw InputError(file: destination, message: "cannot create the \(what) directory: \(reason)")
        }
    }

    /// A new file at `relative` inside, stopped by `discardUnlessPlaced`.
    func writer(_ relative: String, mode: mode_t = 0o644) throws -> HashingFileWriter {
        let writer = try HashingFileWriter(path: path + "/" + relative, mode: mode)
        writers.append(writer)
        return writer
    }

    /// fsyncs `subdirectories` and the directory, renames it to the destination unless
    /// something is there by now, and fsyncs the parent.
    func place(syncing subdirectories: [String] = []) throws {
        for sub in subdirectories { AtomicFile.syncDirectory(path + "/" + sub) }
        AtomicFile.syncDirectory(path)
        guard BundleRename.noReplace(from: path, to: destination) else {
            let e = errno
            throw InputError(file: destination, message: e == EEXIST || e == ENOTEMPTY
                             ? "output path appeared meanwhile; not overwritten"
                             : "cannot move the \(what) into place: \(String(cString: strerror(e)))")
        }
        placed = true
        AtomicFile.syncDirectory(parent)
    }

    /// On every way out: unless placed, stops the writers and removes the directory.
    func discardUnlessPlaced() {
        guard !placed else { return }
        for w in writers { w.abandon() }
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Renaming a finished directory into place without replacing an existing one.
enum BundleRename {
    static func noReplace(from: String, to: String) -> Bool {
        // renameat2(RENAME_NOREPLACE) refuses an existing target atomically (Linux ≥ 3.15).
        #if os(Linux)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        if let symbol = dlsym(nil, "renameat2") {
            let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
            let rc = from.withCString { f in to.withCString { t in renameat2(AT_FDCWD, f, AT_FDCWD, t, 1 /* RENAME_NOREPLACE */) } }
            if rc == 0 { return true }
            if errno != ENOSYS && errno != EINVAL { return false }
        }
        #endif
        var st = stat()
        if lstat(to, &st) == 0 { errno = EEXIST; return false }
        return rename(from, to) == 0
    }
}
