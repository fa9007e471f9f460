import Foundation

/// A failure of the machine rather than of the input: the disk or quota is full, the
/// device reports an I/O error, memory or file descriptors ran out, the volume is
/// read-only. The user's files are fine; running again after fixing the machine helps.
///
/// Kept apart from `InputError` so that messages and hints point at the right thing
/// ("free space on the volume of …" rather than "check the file"). The CLI prints it as
/// `disclose: error: …` and `disclose: hint: …` and exits 2, like an input error: the
/// brief defines 0, 1 and 2 only, and 2 already means "nothing was done, fix something
/// and run again" (see docs/FORMATS.md, exit codes).
public struct EnvironmentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What ran out or broke.
    public enum Kind: Sendable, Equatable {
        /// No space left on the volume (`ENOSPC`).
        case noSpace
        /// The user's disk quota is used up (`EDQUOT`).
        case quota
        /// A file grew past a file-size limit of the process or file system (`EFBIG`).
        case fileTooLarge
        /// The device reported an input/output error (`EIO`).
        case ioError
        /// Out of memory, or a memory mapping failed (`ENOMEM`).
        case outOfMemory
        /// Out of file descriptors, for the process or the system (`EMFILE`, `ENFILE`).
        case tooManyOpenFiles
        /// The volume is mounted read-only (`EROFS`).
        case readOnlyVolume
    }

    /// What failed.
    public var kind: Kind
    /// The file (path as given) being written or read when it failed.
    public var file: String
    /// What was being done, as a verb phrase ("write failed", "cannot flush").
    public var operation: String
    /// The operating system's reason (`strerror` of the `errno`).
    public var reason: String

    /// Builds an error from its parts.
    public init(kind: Kind, file: String, operation: String, reason: String) {
        self.kind = kind; self.file = file; self.operation = operation; self.reason = reason
    }

    /// The environment error for `code` (an `errno`), or nil when `code` says something
    /// about the input (no such file, permission denied, exists, …) rather than the machine.
    public init?(errno code: Int32, file: String, operation: String) {
        let kind: Kind
        switch code {
        case ENOSPC: kind = .noSpace
        case EDQUOT: kind = .quota
        case EFBIG: kind = .fileTooLarge
        case EIO: kind = .ioError
        case ENOMEM: kind = .outOfMemory
        case EMFILE, ENFILE: kind = .tooManyOpenFiles
        case EROFS: kind = .readOnlyVolume
        default: return nil
        }
        self.init(kind: kind, file: file, operation: operation, reason: String(cString: strerror(code)))
    }

    /// The error for a failed system call on `file`: an `EnvironmentError` when `code` is
    /// the machine's, otherwise an `InputError` with `hint`. The one place that decides.
    public static func failure(errno code: Int32, file: String, operation: String, hint: String? = nil) -> any Error {
        EnvironmentError(errno: code, file: file, operation: operation)
            ?? InputError(file: file, message: "\(operation): \(String(cString: strerror(code)))", hint: hint)
    }

    /// `file: operation: reason`.
    public var description: String { "\(file): \(operation): \(reason)" }

    /// What to do about it, in terms of the machine.
    public var hint: String {
        let volume = "the volume of \(file)"
        switch kind {
        case .noSpace: return "free space on \(volume) and run the command again; nothing partial was kept"
        case .quota: return "free space within your disk quota on \(volume), or ask for a larger quota, and run again"
        case .fileTooLarge: return "raise the file-size limit (ulimit -f) or write to a file system that allows larger files"
        case .ioError: return "the storage device reported an error; check it (dmesg) and run again on healthy storage"
        case .outOfMemory: return "free memory on this machine (or raise its limits) and run again"
        case .tooManyOpenFiles: return "raise the open-file limit (ulimit -n) or close other programs, and run again"
        case .readOnlyVolume: return "\(volume) is mounted read-only; write somewhere writable"
        }
    }
}
