import Foundation

/// A minimal POSIX ustar writer for handing a bundle over as one file (`export --tar`)
/// or as a stream cut into parts (`respond --part-size`).
enum Tar {
    /// Writes the regular files and directories under `root` (relative names prefixed
    /// with `prefix/`) into a tar at `path`, atomically.
    static func write(directory root: String, prefix: String, to path: String) throws {
        let tmp = path + ".tmp-\(getpid())"
        _ = unlink(tmp)
        let writer = try HashingFileWriter(path: tmp)
        do {
            _ = try stream(directory: root, prefix: prefix) { try writer.write($0) }
            _ = try writer.finish()
            guard link(tmp, path) == 0 else {
                throw InputError(file: path, message: "cannot create the tar (exists already?): \(String(cString: strerror(errno)))")
            }
            unlink(tmp)
        } catch { writer.abandon(); unlink(tmp); throw error }
    }

    /// Streams the tar of `root` to `sink` in chunks of at most 1 MiB; returns its size.
    /// Files are read through the bundle's directory descriptor, never through a link
    /// (`DirectoryHandle`); a file whose size changes while it is read is an error.
    @discardableResult
    static func stream(directory root: String, prefix: String, _ sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        let dir = try DirectoryHandle(path: root)
        var total = 0
        func emit(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try sink($0) }; total += bytes.count }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for e in try entries(dir, prefix) {
            try emit(header(name: e.name, size: e.size, isDir: e.isDir))
            if !e.isDir {
                let relative = String(e.name.dropFirst(prefix.count + 1))
                let (fd, st) = try dir.openFile(relative)
                defer { close(fd) }
                guard Int(st.st_size) == e.size else { throw InputError(file: dir.describe(relative), message: "changed while being archived") }
                var copied = 0
                while true {
                    let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress!, min($0.count, e.size - copied + 1)) }
                    if n < 0 { if errno == EINTR { continue }; throw InputError(file: dir.describe(relative), message: "cannot read: \(String(cString: strerror(errno)))") }
                    if n == 0 { break }
                    guard copied + n <= e.size else { throw InputError(file: dir.describe(relative), message: "changed while being archived") }
                    try buffer.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                    copied += n
                }
                total += copied
                guard copied == e.size else { throw InputError(file: dir.describe(relative), message: "changed while being archived") }
            }
            let pad = (512 - e.size % 512) % 512
            if pad > 0 { try emit([UInt8](repeating: 0, count: pad)) }
        }
        try emit([UInt8](repeating: 0, count: 1024))
        return total
    }

    /// The entries under `dir`, sorted by relative path, with their sizes (0 for
    /// directories), listed without following links; anything but a regular file or a
    /// directory is refused.
    private static func entries(_ dir: DirectoryHandle, _ prefix: String) throws -> [(name: String, isDir: Bool, size: Int)] {
        var found: [(rel: String, isDir: Bool, size: Int)] = []
        func walk(_ d: DirectoryHandle, _ base: String) throws {
            for (name, type) in try d.entries() {
                let rel = base + name
                switch type {
                case S_IFDIR:
                    found.append((rel, true, 0))
                    try walk(try d.subdirectory(name), rel + "/")
                case S_IFREG:
                    var st = stat()
                    guard fstatat(d.fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { throw InputError(file: d.describe(name), message: "cannot read") }
                    found.append((rel, false, Int(st.st_size)))
                default:
                    throw InputError(file: d.describe(name), message: "not a regular file or directory; a bundle holds only those")
                }
            }
        }
        try walk(dir, "")
        return [(prefix + "/", true, 0)] + found.sorted { $0.rel < $1.rel }.map { (prefix + "/" + $0.rel + ($0.isDir ? "/" : ""), $0.isDir, $0.size) }
    }

    private static func header(name: String, size: Int, isDir: Bool) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ s: String, _ off: Int, _ len: Int) { for (i, b) in s.utf8.prefix(len).enumerated() { h[off + i] = b } }
        func octal(_ v: Int, _ off: Int, _ len: Int) {
            let s = String(v, radix: 8)
            put(String(repeating: "0", count: max(0, len - 1 - s.count)) + s, off, len - 1)
        }
        var n = name, prefixPart = ""
        if n.utf8.count > 100, let cut = n.dropLast().lastIndex(of: "/") { prefixPart = String(n[..<cut]); n = String(n[n.index(after: cut)...]) }
        put(n, 0, 100)
        octal(isDir ? 0o755 : 0o644, 100, 8)
        octal(0, 108, 8); octal(0, 116, 8)
        octal(size, 124, 12)
        octal(0, 136, 12)
        for i in 148..<156 { h[i] = 0x20 }
        h[156] = isDir ? UInt8(ascii: "5") : UInt8(ascii: "0")
        put("ustar", 257, 6); put("00", 263, 2)
        put(prefixPart, 345, 155)
        let sum = h.reduce(0) { $0 + Int($1) }
        let s = String(sum, radix: 8)
        put(String(repeating: "0", count: 6 - s.count) + s, 148, 6)
        h[154] = 0; h[155] = 0x20
        return h
    }
}
