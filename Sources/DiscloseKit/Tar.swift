import Foundation

/// A minimal POSIX ustar writer for handing a bundle over as one file.
enum Tar {
    /// Writes the regular files and directories under `root` (relative names prefixed
    /// with `prefix/`) into a tar at `path`, atomically.
    static func write(directory root: String, prefix: String, to path: String) throws {
        var entries: [(name: String, isDir: Bool)] = [(prefix + "/", true)]
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: root) else { throw InputError(file: root, message: "cannot list the bundle") }
        var names: [String] = []
        for case let rel as String in walker { names.append(rel) }
        for rel in names.sorted() {
            var isDir: ObjCBool = false
            _ = fm.fileExists(atPath: root + "/" + rel, isDirectory: &isDir)
            entries.append((prefix + "/" + rel + (isDir.boolValue ? "/" : ""), isDir.boolValue))
        }
        var out: [UInt8] = []
        let tmp = path + ".tmp-\(getpid())"
        _ = unlink(tmp)
        let writer = try HashingFileWriter(path: tmp)
        do {
            for e in entries {
                let file = root + "/" + String(e.name.dropFirst(prefix.count + 1))
                var size = 0
                if !e.isDir {
                    var st = stat()
                    guard stat(file, &st) == 0 else { throw InputError(file: file, message: "cannot read") }
                    size = Int(st.st_size)
                }
                out = header(name: e.name, size: size, isDir: e.isDir)
                try writer.write(out)
                if !e.isDir {
                    guard let fh = FileHandle(forReadingAtPath: file) else { throw InputError(file: file, message: "cannot open") }
                    defer { try? fh.close() }
                    var copied = 0
                    while let chunk = try fh.read(upToCount: 1 << 20), !chunk.isEmpty {
                        try chunk.withUnsafeBytes { try writer.write($0) }
                        copied += chunk.count
                    }
                    guard copied == size else { throw InputError(file: file, message: "changed while being archived") }
                }
                let pad = (512 - size % 512) % 512
                if pad > 0 { try writer.write([UInt8](repeating: 0, count: pad)) }
            }
            try writer.write([UInt8](repeating: 0, count: 1024))
            _ = try writer.finish()
            guard link(tmp, path) == 0 else {
                throw InputError(file: path, message: "cannot create the tar (exists already?): \(String(cString: strerror(errno)))")
            }
            unlink(tmp)
        } catch { writer.abandon(); unlink(tmp); throw error }
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
