import Primitives
import Foundation

/// Checks, record by record, that decrypted output holds only the fields the manifest
/// declares as disclosed (or transformed): every leaf of every record — a scalar, or an
/// empty object or array below the top level — must lie at or below a declared path
/// (`a.b`, `to[]`, `att[].name`, in the data map's notation), except that an empty
/// object may stand where declared member paths go on (`{}` for `meta` of `meta.a`) and
/// an empty array where declared element paths do (`[]` for `att` of `att[].name`):
/// the exporter keeps those so that "none" reads differently from "withheld".
///
/// The check walks each record's bytes against a tree of the declared paths: a value
/// under a declared path is skipped without looking inside (strings by a quote search),
/// so checking a large payload costs little more than reading it, and a path is spelled
/// out only to name an undeclared field. It runs on authenticated plaintext, but is
/// strict anyway: malformed input throws, it never reads out of bounds.
public final class FieldChecker {
    /// Whether the payload is CSV (only its header is checked).
    public let csv: Bool
    /// Records checked so far.
    public private(set) var records = 0
    private let declared: Set<String>
    private let root: FieldActionNode
    /// The unfinished record at the end of the last chunk.
    private var pending: [UInt8] = []
    private var sawHeader = false
    /// Longest record accepted.
    static let maxRecord = 64 << 20
    /// Deepest nesting accepted.
    static let maxDepth = 512

    /// A checker for the fields in `declared`, of JSON Lines output or (when `csv`) of a
    /// CSV file's header.
    public init(declared: Set<String>, csv: Bool) {
        self.declared = declared
        self.csv = csv
        var actions: [FieldPath: FieldAction] = [:]
        for d in declared { if let p = FieldPath(parsing: d) { actions[p] = .disclose } }
        root = FieldActionNode.build(actions)
    }

    /// Checks the complete records in `bytes` (the next piece of the payload).
    public func feed(_ bytes: UnsafeRawBufferPointer) throws {
        if csv {
            guard !sawHeader else { return }
            pending.append(contentsOf: bytes)
            guard let nl = pending.firstIndex(of: 0x0A) else { return try limitPending() }
            try header(Array(pending[..<nl]))
            pending = []
            return
        }
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let n = bytes.count
        var start = 0
        if !pending.isEmpty {
            guard let k = Self.newline(base, 0, n) else {
                pending.append(contentsOf: bytes)
                return try limitPending()
            }
            pending.append(contentsOf: UnsafeBufferPointer(start: base, count: k))
            try pending.withUnsafeBufferPointer { try line($0.baseAddress!, $0.count) }
            pending.removeAll(keepingCapacity: true)
            start = k + 1
        }
        while start < n, let k = Self.newline(base, start, n) {
            try line(base + start, k - start)
            start = k + 1
        }
        pending.append(contentsOf: UnsafeBufferPointer(start: base + start, count: n - start))
        try limitPending()
    }

    /// Ends the payload: JSON Lines output must end with a complete line.
    public func finish() throws {
        if csv { if !sawHeader, !pending.isEmpty { try header(pending) }; return }
        if !pending.isEmpty { throw InputError(file: "payload", message: "the last record is not terminated") }
    }

    private func limitPending() throws {
        if pending.count > Self.maxRecord { throw InputError(file: "payload", message: "a record longer than 64 MiB") }
    }

    private static func newline(_ base: UnsafePointer<UInt8>, _ from: Int, _ end: Int) -> Int? {
        guard from < end, let found = memchr(base + from, 0x0A, end - from) else { return nil }
        return UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
    }

    private func header(_ line: [UInt8]) throws {
        sawHeader = true
        var l = line
        if l.last == 0x0D { l.removeLast() }
        let columns = String(decoding: l, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false).map {
            $0.hasPrefix("\"") && $0.hasSuffix("\"") && $0.count >= 2 ? String($0.dropFirst().dropLast()) : String($0)
        }
        let extra = columns.filter { !declared.contains($0) }
        guard extra.isEmpty else { throw InputError(file: "payload", message: "undeclared column(s): \(extra.joined(separator: ", "))") }
    }

    // MARK: - One JSON record

    private func line(_ b: UnsafePointer<UInt8>, _ n: Int) throws {
        records += 1
        var i = 0
        try value(b, n, &i, root, depth: 0)
        skipSpace(b, n, &i)
        guard i == n else { throw malformed(i) }
    }

    private func malformed(_ at: Int) -> InputError {
        InputError(file: "payload", line: records, column: at + 1, message: "decrypted record is not valid JSON")
    }

    private func undeclared(_ path: String) -> InputError {
        InputError(file: "payload", line: records, field: path, message: "record holds a field the manifest does not declare")
    }

    @inline(__always)
    private func skipSpace(_ b: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) {
        while i < n, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
    }

    /// Skips the string whose opening quote is at `i`; returns its contents' range and
    /// whether it has escapes.
    private func string(_ b: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) throws -> (Range<Int>, Bool) {
        let start = i + 1
        guard let q = closingQuote(b, start, n) else { throw malformed(start) }
        i = q + 1
        return (start..<q, memchr(b + start, 0x5C, q - start) != nil)
    }

    /// Walks the value at `i`. `node` is the declared-path tree at this value's path, or
    /// nil when the value lies under a declared path (then nothing inside is checked).
    private func value(_ b: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, _ node: FieldActionNode?, depth: Int) throws {
        guard depth < Self.maxDepth else { throw InputError(file: "payload", line: records, message: "record nested deeper than 512 levels") }
        skipSpace(b, n, &i)
        guard i < n else { throw malformed(i) }
        switch b[i] {
        case UInt8(ascii: "{"):
            i += 1
            skipSpace(b, n, &i)
            if i < n, b[i] == UInt8(ascii: "}") {
                i += 1
                // An empty object is a leaf, except the record itself (`{}`: nothing
                // disclosed) and an object whose declared member paths go on.
                if let node, node !== root, node.keys.isEmpty { throw undeclared(node.pathText) }
                return
            }
            while true {
                skipSpace(b, n, &i)
                guard i < n, b[i] == UInt8(ascii: "\"") else { throw malformed(i) }
                let (key, escaped) = try string(b, n, &i)
                var next: FieldActionNode?
                if let node {
                    let child = escaped ? try escapedChild(b, key, of: node)
                                        : node.child(forKey: UnsafeBufferPointer(start: b + key.lowerBound, count: key.count))
                    guard let child else { throw undeclared(path(node, b, key, escaped)) }
                    next = child.action == nil ? child : nil
                }
                skipSpace(b, n, &i)
                guard i < n, b[i] == UInt8(ascii: ":") else { throw malformed(i) }
                i += 1
                try value(b, n, &i, next, depth: depth + 1)
                guard try more(b, n, &i, closer: UInt8(ascii: "}")) else { return }
            }
        case UInt8(ascii: "["):
            i += 1
            var next: FieldActionNode?
            if let node {
                guard let each = node.each else { throw undeclared(node.pathText + "[]") }
                next = each.action == nil ? each : nil
            }
            skipSpace(b, n, &i)
            if i < n, b[i] == UInt8(ascii: "]") {
                // Empty: no element to check, whether elements are declared or their paths go on.
                i += 1
                return
            }
            repeat {
                try value(b, n, &i, next, depth: depth + 1)
            } while try more(b, n, &i, closer: UInt8(ascii: "]"))
        case UInt8(ascii: "\""):
            _ = try string(b, n, &i)
            if let node { throw undeclared(node.pathText) }
        default:
            // A number or literal: up to the next structural character or space.
            let start = i
            while i < n, b[i] != UInt8(ascii: ","), b[i] != UInt8(ascii: "}"), b[i] != UInt8(ascii: "]"),
                  b[i] != 0x20, b[i] != 0x0A, b[i] != 0x0D, b[i] != 0x09 { i += 1 }
            guard i > start else { throw malformed(i) }
            if let node { throw undeclared(node.pathText) }
        }
    }

    /// After a member or element: true past a ',' (more follow), false past `closer`.
    private func more(_ b: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, closer: UInt8) throws -> Bool {
        skipSpace(b, n, &i)
        guard i < n else { throw malformed(i) }
        if b[i] == UInt8(ascii: ",") { i += 1; return true }
        guard b[i] == closer else { throw malformed(i) }
        i += 1
        return false
    }

    /// The child for a key written with escapes, decoded strictly (rare: the exporter
    /// copies keys as they are in the data).
    private func escapedChild(_ b: UnsafePointer<UInt8>, _ key: Range<Int>, of node: FieldActionNode) throws -> FieldActionNode? {
        let text = try decodedKey(b, key)
        return Array(text.utf8).withUnsafeBufferPointer { node.child(forKey: $0) }
    }

    private func decodedKey(_ b: UnsafePointer<UInt8>, _ key: Range<Int>) throws -> String {
        let quoted = [UInt8(ascii: "\"")] + Array(UnsafeBufferPointer(start: b + key.lowerBound, count: key.count)) + [UInt8(ascii: "\"")]
        guard let s = (try? DocumentJSON.parse(quoted, file: "payload"))?.string else { throw malformed(key.lowerBound) }
        return s
    }

    /// The path of key `key` under `node`, to name an undeclared field.
    private func path(_ node: FieldActionNode, _ b: UnsafePointer<UInt8>, _ key: Range<Int>, _ escaped: Bool) -> String {
        let name = escaped ? ((try? decodedKey(b, key)) ?? "?")
                           : String(decoding: UnsafeBufferPointer(start: b + key.lowerBound, count: key.count), as: UTF8.self)
        return node.pathText.isEmpty ? name : node.pathText + "." + name
    }
}
