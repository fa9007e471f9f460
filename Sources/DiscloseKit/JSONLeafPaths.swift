import Foundation

/// The leaf paths of one JSON value (`a.b`, `to[]`, `att[].name`; empty containers count
/// as leaves), found by scanning bytes: string values are skipped, not decoded, so
/// checking a large decrypted payload costs little more than reading it. Used by
/// `verify` on authenticated plaintext; malformed input still throws.
enum JSONLeafPaths {
    /// Paths of the value in `bytes` (one record).
    static func collect(_ bytes: [UInt8]) throws -> Set<String> {
        var paths = Set<String>()
        try bytes.withUnsafeBufferPointer { b in
            var i = 0
            try value(b, &i, prefix: "", depth: 0, &paths)
            skipSpace(b, &i)
            guard i == b.count else { throw malformed(i) }
        }
        return paths
    }

    private static func malformed(_ at: Int) -> InputError {
        InputError(file: "payload", column: at + 1, message: "decrypted record is not valid JSON")
    }

    private static func skipSpace(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
    }

    /// Skips a string starting at the opening quote; returns its raw content range.
    private static func skipString(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws -> Range<Int> {
        let start = i + 1
        var j = start
        while true {
            guard j < b.count, let found = memchr(b.baseAddress! + j, 0x22, b.count - j) else { throw malformed(start) }
            let q = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - b.baseAddress!
            var backslashes = 0
            var k = q - 1
            while k >= start, b[k] == UInt8(ascii: "\\") { backslashes += 1; k -= 1 }
            if backslashes % 2 == 0 { i = q + 1; return start..<q }
            j = q + 1
        }
    }

    private static func value(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, prefix: String, depth: Int, _ paths: inout Set<String>) throws {
        guard depth < 512 else { throw InputError(file: "payload", message: "record nested deeper than 512 levels") }
        skipSpace(b, &i)
        guard i < b.count else { throw malformed(i) }
        switch b[i] {
        case UInt8(ascii: "{"):
            i += 1
            skipSpace(b, &i)
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; if !prefix.isEmpty { paths.insert(prefix) }; return }
            while true {
                skipSpace(b, &i)
                guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw malformed(i) }
                let raw = try skipString(b, &i)
                let key = try decodedKey(b, raw)
                skipSpace(b, &i)
                guard i < b.count, b[i] == UInt8(ascii: ":") else { throw malformed(i) }
                i += 1
                try value(b, &i, prefix: prefix.isEmpty ? key : prefix + "." + key, depth: depth + 1, &paths)
                skipSpace(b, &i)
                guard i < b.count else { throw malformed(i) }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                guard b[i] == UInt8(ascii: "}") else { throw malformed(i) }
                i += 1
                return
            }
        case UInt8(ascii: "["):
            i += 1
            skipSpace(b, &i)
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; paths.insert(prefix + "[]"); return }
            while true {
                try value(b, &i, prefix: prefix + "[]", depth: depth + 1, &paths)
                skipSpace(b, &i)
                guard i < b.count else { throw malformed(i) }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                guard b[i] == UInt8(ascii: "]") else { throw malformed(i) }
                i += 1
                return
            }
        case UInt8(ascii: "\""):
            _ = try skipString(b, &i)
            paths.insert(prefix)
        default:
            // A number or literal: up to the next structural character.
            let start = i
            while i < b.count, b[i] != UInt8(ascii: ","), b[i] != UInt8(ascii: "}"), b[i] != UInt8(ascii: "]"),
                  b[i] != 0x20, b[i] != 0x0A, b[i] != 0x0D, b[i] != 0x09 { i += 1 }
            guard i > start else { throw malformed(i) }
            paths.insert(prefix)
        }
    }

    /// A key's decoded text (keys are short; escapes are resolved through the document parser).
    private static func decodedKey(_ b: UnsafeBufferPointer<UInt8>, _ raw: Range<Int>) throws -> String {
        let slice = UnsafeBufferPointer(rebasing: b[raw])
        if !slice.contains(UInt8(ascii: "\\")) {
            guard let s = String(validating: slice, as: UTF8.self) else { throw malformed(raw.lowerBound) }
            return s
        }
        let node = try DocumentJSON.parse([UInt8(ascii: "\"")] + Array(slice) + [UInt8(ascii: "\"")], file: "payload")
        guard let s = node.string else { throw malformed(raw.lowerBound) }
        return s
    }
}
