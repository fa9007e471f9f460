import Foundation

/// A directory opened once, through which its files are opened relative to it (`openat`),
/// never following a link and accepting only regular files (DESIGN rule 8).
///
/// Why: a path checked once and opened again later can meanwhile name something else —
/// a renamed parent, a planted link, a swapped file. Whoever controls the storage (a drop
/// folder, a share, removable media, another local process) wins that race. Opening
/// relative to one directory descriptor, each component with `O_NOFOLLOW`, and reading a
/// file whole through one descriptor means the bytes hashed are the bytes parsed.
public final class DirectoryHandle: @unchecked Sendable {
    /// The path it was opened as (used in messages only, never to open anything).
    public let path: String
    /// The directory's descriptor (closed on deinit).
    public let fd: Int32

    /// Opens the directory at `path`; its last component must not be a symbolic link.
    public init(path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            var st = stat()
            throw Self.openError(path, errno, directory: true, isLink: lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK)
        }
        self.path = path
        self.fd = fd
    }

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// The directory holding `filePath` and the file's name in it: how a file the user
    /// named is read together with its neighbours (a plan and its approvals).
    public static func containing(_ filePath: String) throws -> (directory: DirectoryHandle, name: String) {
        let (parent, name) = PathName.split(filePath)
        guard !name.isEmpty, name != ".", name != "..", !filePath.hasSuffix("/") else {
            throw InputError(file: filePath, message: "names a directory, not a file", hint: "give the path of the file itself")
        }
        let fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw openError(parent, errno, directory: true) }
        return (DirectoryHandle(fd: fd, path: parent), name)
    }

    /// `path/relative`, for messages.
    public func describe(_ relative: String) -> String {
        path == "." ? relative : (path.hasSuffix("/") ? path + relative : path + "/" + relative)
    }

    /// Opens the subdirectory `name` (one component; a link is refused).
    public func subdirectory(_ name: String) throws -> DirectoryHandle {
        let sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard sub >= 0 else {
            var st = stat()
            throw Self.openError(describe(name), errno, directory: true, isLink: fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && (st.st_mode & S_IFMT) == S_IFLNK)
        }
        return DirectoryHandle(fd: sub, path: describe(name))
    }

    /// Opens the regular file at `relative` ("a/b": every component opened without
    /// following links) for reading. Returns the descriptor (the caller closes it) and
    /// its `fstat`. A link, a directory, a FIFO or a device is refused.
    public func openFile(_ relative: String) throws -> (fd: Int32, status: stat) {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw InputError(file: describe(relative), message: "not a plain relative path")
        }
        var dir = self
        for component in parts.dropLast() { dir = try dir.subdirectory(component) }
        let file = openat(dir.fd, parts.last!, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else { throw Self.openError(describe(relative), errno, directory: false) }
        var st = stat()
        guard fstat(file, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(file)
            throw InputError(file: describe(relative), message: "not a regular file", hint: "links, directories, FIFOs and devices are refused")
        }
        return (file, st)
    }

    /// Reads the regular file at `relative` whole through one descriptor, refusing more
    /// than `limit` bytes: what is returned is all that is ever read of it.
    public func read(_ relative: String, limit: Int) throws -> [UInt8] {
        let (file, st) = try openFile(relative)
        defer { close(file) }
        return try FileBytes.read(fileDescriptor: file, size: Int(st.st_size), name: describe(relative), limit: limit)
    }

    /// The names in the directory (without "." and ".."), sorted, each with its type as
    /// `fstatat` sees it without following links (`S_IFREG`, `S_IFDIR`, `S_IFLNK`, …).
    public func entries() throws -> [(name: String, type: mode_t)] {
        let copy = dup(fd)
        guard copy >= 0, let d = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            throw InputError(file: path, message: "cannot list: \(String(cString: strerror(errno)))")
        }
        defer { closedir(d) }
        rewinddir(d)
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted().map { name in
            var st = stat()
            return (name, fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? st.st_mode & S_IFMT : 0)
        }
    }

    /// Creates the new file `name` in this directory (`O_EXCL`, never through a link)
    /// with `mode`, for writing; the caller closes the descriptor.
    public func create(_ name: String, mode: mode_t) throws -> Int32 {
        let file = openat(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard file >= 0 else {
            throw InputError(file: describe(name), message: errno == EEXIST ? "already exists; refusing to overwrite" : "cannot create: \(String(cString: strerror(errno)))")
        }
        return file
    }

    /// Gives file `from` the name `to` in this directory, never replacing an existing `to`.
    public func place(_ from: String, as to: String) throws {
        guard linkat(fd, from, fd, to, 0) == 0 else {
            let e = errno
            throw InputError(file: describe(to), message: e == EEXIST ? "already exists; not overwritten" : "cannot place: \(String(cString: strerror(e)))")
        }
        unlinkat(fd, from, 0)
    }

    /// Removes file `name` from this directory (nothing if it is not there).
    public func remove(_ name: String) { unlinkat(fd, name, 0) }

    /// fsyncs the directory so the names placed in it survive a crash.
    public func sync() { fsync(fd) }

    /// The error for a failed open; `isLink` when the entry is a symbolic link (with
    /// `O_DIRECTORY | O_NOFOLLOW` Linux says ENOTDIR for a link to a directory).
    static func openError(_ path: String, _ code: Int32, directory: Bool, isLink: Bool = false) -> InputError {
        switch isLink ? ELOOP : code {
        case ENOENT:
            return InputError(file: path, message: "does not exist", hint: "check the path")
        case ELOOP:
            return InputError(file: path, message: "is a symbolic link; links are not followed", hint: "give the \(directory ? "directory" : "file") itself")
        case ENOTDIR:
            return InputError(file: path, message: directory ? "is not a directory" : "a component of the path is not a directory")
        default:
            return InputError(file: path, message: "cannot open: \(String(cString: strerror(code)))", hint: "check the permissions")
        }
    }
}
