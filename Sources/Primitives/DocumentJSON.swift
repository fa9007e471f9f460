import Foundation

/// A small JSON document (request, data map, policy, configuration) parsed into a tree
/// that remembers where each value stood, so errors can name the line and column.
///
/// Strict: RFC 8259 only, duplicate keys rejected, 4 MiB and depth 64 caps. Datasets
/// never go through here; they stream through the record engine.
public struct DocumentJSON: Sendable {
    /// A value with its 1-based position in the file.
    public indirect enum Value: Sendable {
        case object([(key: String, value: Node)])
        case array([Node])
        case string(String)
        /// A number, kept as its exact text.
        case number(String)
        case bool(Bool)
        case null
    }

    /// A value and where it starts.
    public struct Node: Sendable {
        /// The value.
        public var value: Value
        /// 1-based line.
        public var line: Int
        /// 1-based column.
        public var column: Int
    }

    /// Largest document accepted.
    public static let maxBytes = 4 << 20
    /// Deepest nesting accepted.
    public static let maxDepth = 64

    /// Parses `bytes` read from `file` (the name used in errors).
    public static func parse(_ bytes: [UInt8], file: String, limit: Int = maxBytes) throws -> Node {
        guard bytes.count <= limit else {
            throw InputError(file: file, message: "file is larger than \(limit >> 20) MiB", hint: "this file should be a small JSON document")
        }
        var p = Parser(bytes: bytes, file: file)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { p.i = 3 }
        p.skipSpace()
        let root = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == bytes.count else { throw p.error("unexpected data after the JSON value") }
        return root
    }

    /// Reads and parses a file.
    public static func load(path: String) throws -> Node {
        let bytes = try FileBytes.read(path: path, limit: maxBytes)
        return try parse(bytes, file: path)
    }

    private struct Parser {
        let bytes: [UInt8]
        let file: String
        var i = 0
        var line = 1
        var lineStart = 0

        init(bytes: [UInt8], file: String) { self.bytes = bytes; self.file = file }

        func error(_ message: String, at index: Int? = nil) -> InputError {
            InputError(file: file, line: line, column: (index ?? i) - lineStart + 1, message: message)
        }

        mutating func skipSpace() {
            while i < bytes.count {
                switch bytes[i] {
                case 0x20, 0x09, 0x0D: i += 1
                case 0x0A: i += 1; line += 1; lineStart = i
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws -> Node {
            guard depth < DocumentJSON.maxDepth else { throw error("nesting deeper than \(DocumentJSON.maxDepth) levels") }
            guard i < bytes.count else { throw error("unexpected end of file") }
            let l = line, c = i - lineStart + 1
            func node(_ v: Value) -> Node { Node(value: v, line: l, column: c) }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(key: String, value: Node)] = []
                var seen = Set<String>()
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return node(.object(members)) }
                while true {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
                    let keyStart = i
                    let key = try string()
                    guard seen.insert(key).inserted else { throw error("duplicate key '\(key)'", at: keyStart) }
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after key '\(key)'") }
                    i += 1
                    skipSpace()
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard i < bytes.count else { throw error("unexpected end of file inside an object") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return node(.object(members)) }
                    throw error("expected ',' or '}' in an object")
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [Node] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return node(.array(items)) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < bytes.count else { throw error("unexpected end of file inside an array") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return node(.array(items)) }
                    throw error("expected ',' or ']' in an array")
                }
            case UInt8(ascii: "\""):
                return node(.string(try string()))
            case UInt8(ascii: "t"): try literal("true"); return node(.bool(true))
            case UInt8(ascii: "f"): try literal("false"); return node(.bool(false))
            case UInt8(ascii: "n"): try literal("null"); return node(.null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return node(.number(try number()))
            default:
                throw error("unexpected character")
            }
        }

        mutating func literal(_ word: String) throws {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { throw error("invalid literal") }
            i += w.count
        }

        mutating func number() throws -> String {
            let start = i
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            func digits() -> Int { let s = i; while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }; return i - s }
            guard i < bytes.count else { throw error("invalid number", at: start) }
            if bytes[i] == UInt8(ascii: "0") { i += 1 } else if digits() == 0 { throw error("invalid number", at: start) }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") { i += 1; guard digits() > 0 else { throw error("invalid number", at: start) } }
            if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard digits() > 0 else { throw error("invalid number", at: start) }
            }
            guard i - start <= 64 else { throw error("number longer than 64 characters", at: start) }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        mutating func string() throws -> String {
            let start = i
            i += 1
            var out = [UInt8]()
            while true {
                guard i < bytes.count else { throw error("unterminated string", at: start) }
                let b = bytes[i]
                if b == UInt8(ascii: "\"") { i += 1; break }
                if b < 0x20 { throw error("control character in a string (escape it)") }
                if b == UInt8(ascii: "\\") {
                    guard i + 1 < bytes.count else { throw error("unterminated escape") }
                    let e = bytes[i + 1]
                    i += 2
                    switch e {
                    case UInt8(ascii: "\""): out.append(0x22)
                    case UInt8(ascii: "\\"): out.append(0x5C)
                    case UInt8(ascii: "/"): out.append(0x2F)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800...0xDBFF).contains(scalar) {
                            guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                                throw error("unpaired surrogate escape")
                            }
                            i += 2
                            let low = try hex4()
                            guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate escape") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else if (0xDC00...0xDFFF).contains(scalar) {
                            throw error("unpaired surrogate escape")
                        }
                        out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
                    default: throw error("invalid escape")
                    }
                    continue
                }
                out.append(b)
                i += 1
            }
            guard let s = String(validating: out, as: UTF8.self) else { throw error("invalid UTF-8 in a string", at: start) }
            return s
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= bytes.count else { throw error("truncated \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[i]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x37)
                case 0x61...0x66: d = UInt32(c - 0x57)
                default: throw error("invalid \\u escape")
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }
    }
}

/// Reading whole small files (documents, keys) with a size cap, through one descriptor:
/// the checks (regular file, size) and the read concern the same file, read once.
public enum FileBytes {
    /// Reads `path` whole; refuses files over `limit` bytes and anything but regular files.
    public static func read(path: String, limit: Int) throws -> [UInt8] {
        // O_NONBLOCK: a FIFO put in place of the file cannot block the open.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT || e == ENOTDIR { throw InputError(file: path, message: "cannot read: \(String(cString: strerror(e)))", hint: "check the path") }
            throw EnvironmentError.failure(errno: e, file: path, operation: "cannot open for reading", hint: "check the permissions")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw InputError(file: path, message: "not a regular file")
        }
        return try read(fileDescriptor: fd, size: Int(st.st_size), name: path, limit: limit)
    }

    /// Reads the open regular file `fd` (whose `fstat` size is `size`) to its end,
    /// refusing more than `limit` bytes; `name` is used in errors.
    public static func read(fileDescriptor fd: Int32, size: Int, name: String, limit: Int) throws -> [UInt8] {
        guard size <= limit else {
            throw InputError(file: name, message: "file is larger than the \(limit)-byte limit for this kind of file")
        }
        // read(2) straight into the array the caller gets (and may wipe): no Data copy
        // of a secret file is left behind in freed memory.
        var out = [UInt8](repeating: 0, count: size)
        var filled = 0
        while true {
            if filled == out.count {
                guard out.count < limit else {
                    // Full at the limit: one more byte means the file grew past it.
                    var probe: UInt8 = 0
                    let n = Glibc.read(fd, &probe, 1)
                    if n > 0 { throw InputError(file: name, message: "file grew past the size limit while reading") }
                    break
                }
                out.append(contentsOf: [UInt8](repeating: 0, count: min(max(4096, out.count), limit - out.count)))
            }
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 { if errno == EINTR { continue }; throw EnvironmentError.failure(errno: errno, file: name, operation: "read failed") }
            if n == 0 { break }
            filled += n
        }
        if filled < out.count { out.removeSubrange(filled...) }     // never-filled zeros
        return out
    }
}

extension DocumentJSON.Node {
    /// Member `key` of an object (nil otherwise).
    public subscript(key: String) -> DocumentJSON.Node? {
        if case .object(let m) = value { return m.first { $0.key == key }?.value }
        return nil
    }

    /// The string value, if this is a string.
    public var string: String? { if case .string(let s) = value { return s }; return nil }

    /// The integer value, if this is a whole number.
    public var int: Int? { if case .number(let s) = value { return Int(s) }; return nil }

    /// The boolean value, if this is a boolean.
    public var bool: Bool? { if case .bool(let b) = value { return b }; return nil }

    /// The elements, if this is an array (empty otherwise).
    public var elements: [DocumentJSON.Node] { if case .array(let a) = value { return a }; return [] }
}
