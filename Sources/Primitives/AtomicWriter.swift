import Foundation

/// The one "temporary file, fsync, rename" writer of the package: readers see either
/// nothing or the whole file. Whole-buffer writes (`AtomicFile`), streamed decryption
/// and encryption, decrypted output and reassembled HI-1 deliveries all go through it.
///
/// The temporary file is `.NAME.tmp-PID-RANDOM` in the destination's directory (so the
/// rename stays on one volume and a killed writer's leftovers can be recognised and swept).
/// `commit` flushes the file, moves it into place and flushes the directory; a writer
/// dropped without `commit` removes its temporary file. Failures of the machine (disk
/// full, I/O error) throw `EnvironmentError`, others `InputError`.
public final class AtomicWriter {
    /// The destination path, as given (used in errors).
    public let path: String
    /// The open temporary file (read-write), for callers that write at offsets or read back.
    public let fileDescriptor: Int32
    /// The temporary file's path.
    public let temporaryPath: String
    private let directory: String
    private var finished = false

    /// Creates the temporary file for `name` in `directory` (the destination `path` is
    /// `directory/name`). With `exactMode` the file gets exactly `mode` (`fchmod`, the umask
    /// neither widens nor narrows it); otherwise `mode` as narrowed by the umask.
    public init(directory: String, name: String, path: String, mode: mode_t = 0o600, exactMode: Bool = true) throws {
        self.path = path
        self.directory = directory
        let joined = directory.utf8.last == UInt8(ascii: "/") ? directory : directory + "/"
        temporaryPath = joined + "." + name + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporaryPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else {
            throw EnvironmentError.failure(errno: errno, file: path, operation: "cannot create",
                                           hint: "check that the directory exists and is writable")
        }
        if exactMode, fchmod(fd, mode) != 0 {
            let e = errno
            close(fd); unlink(temporaryPath)
            throw EnvironmentError.failure(errno: e, file: path, operation: "cannot set the file mode")
        }
        fileDescriptor = fd
    }

    deinit { discard() }

    /// Appends `bytes` at the current offset.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        let failure = WriteAll.write(fileDescriptor, bytes)
        if failure != 0 { throw EnvironmentError.failure(errno: failure, file: path, operation: "write failed") }
    }

    /// Appends `bytes` at the current offset.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Flushes the file and moves it to `path`. With `overwrite: false` an existing file is
    /// never replaced: the file is linked into place, which fails if anything is there.
    public func commit(overwrite: Bool, exists: String = "already exists; refusing to overwrite") throws {
        precondition(!finished, "AtomicWriter committed twice")
        guard fsync(fileDescriptor) == 0 else {
            throw EnvironmentError.failure(errno: errno, file: path, operation: "cannot flush")
        }
        close(fileDescriptor)
        finished = true
        if overwrite {
            guard rename(temporaryPath, path) == 0 else {
                let e = errno
                unlink(temporaryPath)
                throw EnvironmentError.failure(errno: e, file: path, operation: "cannot rename into place")
            }
        } else {
            let linked = link(temporaryPath, path) == 0
            let e = errno
            unlink(temporaryPath)
            guard linked else {
                if e == EEXIST { throw InputError(file: path, message: exists, hint: "choose another path or remove the old file first") }
                throw EnvironmentError.failure(errno: e, file: path, operation: "cannot create")
            }
        }
        AtomicWriter.syncDirectory(directory)
    }

    /// Closes and removes the temporary file (nothing is written to `path`). Idempotent.
    public func discard() {
        guard !finished else { return }
        finished = true
        close(fileDescriptor)
        unlink(temporaryPath)
    }

    /// fsyncs a directory so a rename in it survives a crash.
    public static func syncDirectory(_ dir: String) {
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }
}
