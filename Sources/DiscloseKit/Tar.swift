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

    /// The size in bytes of the tar `stream` would produce for `root` now.
    static func size(directory root: String, prefix: String) throws -> Int {
        try entries(root, prefix).reduce(1024) { $0 + 512 + ($1.size + 511) / 512 * 512 }
    }

    /// Streams the tar of `root` to `sink` in chunks of at most 1 MiB; returns its size.
    /// A file whose size changes while it is read is an error.
    @discardableResult
    static func stream(directory root: String, prefix: String, _ sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        var total = 0
        func emit(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try sink($0) }; total += bytes.count }
        for e in try entries(root, prefix) {
            try emit(header(name: e.name, size: e.size, isDir: e.isDir))
            if !e.isDir {
                let file = root + "/" + String(e.name.dropFirst(prefix.count + 1))
                guard let fh = FileHandle(forReadingAtPath: file) else { throw InputError(file: file, message: "cannot open") }
                defer { try? fh.close() }
                var copied = 0
                while copied < e.size, let chunk = try fh.read(upToCount: min(1 << 20, e.size - copied)), !chunk.isEmpty {
                    try chunk.withUnsafeBytes { try sink($0) }
                    copied += chunk.count
                }
                total += copied
                guard copied == e.size, (try fh.read(upToCount: 1))?.isEmpty ?? true else {
                    throw InputError(file: file, message: "changed while being archived")
                }
            }
            let pad = (512 - e.size % 512) % 512
            if pad > 0 { try emit([UInt8](repeating: 0, count: pad)) }
        }
        try emit([UInt8](repeating: 0, count: 1024))
        return total
    }

    /// The entries under `root`, sorted, with their sizes (0 for directories).
    private static func entries(_ root: String, _ prefix: String) throws -> [(name: String, isDir: Bool, size: Int)] {
        var entries: [(name: String, isDir: Bool, size: Int)] = [(prefix + "/", true, 0)]
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: root) else { throw InputError(file: root, message: "cannot list the bundle") }
        var names: [String] = []
        for case let rel as String in walker { names.append(rel) }
        for rel in names.sorted() {
            var st = stat()
            guard lstat(root + "/" + rel, &st) == 0 else { throw InputError(file: root + "/" + rel, message: "cannot read") }
            let isDir = (st.st_mode & S_IFMT) == S_IFDIR
            guard isDir || (st.st_mode & S_IFMT) == S_IFREG else {
                throw InputError(file: root + "/" + rel, message: "not a regular file or directory; a bundle holds only those")
            }
            entries.append((prefix + "/" + rel + (isDir ? "/" : ""), isDir, isDir ? 0 : Int(st.st_size)))
        }
        return entries
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
