import DiscloseTestSupport
import Foundation
import Testing
@testable import Age
import Sodium

/// Shared helpers for the Age tests: paths, external tools, temp dirs, crafting files.
enum Support {
    /// True when running under CI (env CI=true): missing vectors or tools then fail.
    static var isCI: Bool { ToolLookup.isCI }

    /// The repository root, found from this file's path (Tests/AgeTests/TestSupport.swift).
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// ../shared/age-vectors beside the checkout.
    static let vectorsDirectory = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/age-vectors")

    static var vectorsAvailable: Bool {
        FileManager.default.fileExists(atPath: vectorsDirectory.appendingPathComponent("README.txt").path)
    }

    /// The absolute path of `name` on PATH (or in /usr/bin), if present.
    static func tool(_ name: String) -> String? { ToolLookup.path(name) }

    /// True when the stock `age` tools are installed. Tests that need them are enabled
    /// when this holds or under CI, where a missing tool is then recorded as a failure.
    static var stockAgeAvailable: Bool { tool("age") != nil && tool("age-keygen") != nil }

    /// The path of a tool; records an issue (only reachable under CI) when it is missing.
    static func requireTool(_ name: String) -> String? {
        if let path = tool(name) { return path }
        Issue.record("required tool \(name) not found on PATH (CI=true, so this fails instead of skipping)")
        return nil
    }

    struct ProcessResult { var status: Int32; var stdout: [UInt8]; var stderr: String }

    /// Runs `executable` with `arguments`, feeding `input` on stdin (the shared `Run`).
    static func run(_ executable: String, _ arguments: [String], input: [UInt8] = []) throws -> ProcessResult {
        let r = try Run.command(executable, arguments, input: input)
        return ProcessResult(status: r.status, stdout: r.stdoutBytes, stderr: r.stderr)
    }

    /// A fresh temporary directory; remove it with `cleanup`.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("age-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func cleanup(_ url: URL) { try? FileManager.default.removeItem(at: url) }

    /// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
    static func bytes(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed | 1
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { buf in
            var i = 0
            while i < count {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                var v = state
                for _ in 0..<8 where i < count { buf[i] = UInt8(truncatingIfNeeded: v); v >>= 8; i += 1 }
            }
        }
        return out
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String { Hex.encode(SHA256.hash(bytes)) }

    /// Decrypts and returns (released plaintext, error). Captures what the sink got even
    /// when decryption fails, to check that nothing unauthenticated was released.
    static func decrypt(_ file: [UInt8], _ identities: [Identity], format: Decryptor.InputFormat = .detect) -> (released: [UInt8], error: AgeError?) {
        var released: [UInt8] = []
        var offset = 0
        do {
            try file.withUnsafeBytes { input in
                try Decryptor(identities: identities, format: format).decrypt(reading: { buffer in
                    let n = min(buffer.count, input.count - offset)
                    if n > 0 { buffer.baseAddress!.copyMemory(from: input.baseAddress! + offset, byteCount: n) }
                    offset += n
                    return n
                }, writing: { released.append(contentsOf: $0) })
            }
            return (released, nil)
        } catch let error as AgeError {
            return (released, error)
        } catch {
            Issue.record("unexpected non-AgeError \(error)")
            return (released, nil)
        }
    }

    /// The vector-suite category name of an outcome.
    static func category(_ error: AgeError?) -> String {
        switch error {
        case nil: return "success"
        case .headerFailure: return "header failure"
        case .noMatch: return "no match"
        case .hmacFailure: return "HMAC failure"
        case .payloadFailure: return "payload failure"
        case .armorFailure: return "armor failure"
        case .unsupported: return "unsupported"
        case .invalidKey: return "invalid key"
        case .io: return "io"
        }
    }

    /// Length of the header of a binary age file (through the MAC line's LF).
    static func headerLength(_ file: [UInt8]) -> Int {
        let marker = Array("\n--- ".utf8)
        var i = 0
        while i + marker.count <= file.count {
            if file[i] == marker[0] && Array(file[i..<(i + marker.count)]) == marker { return i + 1 + 47 + 1 }
            i += 1
        }
        return -1
    }

    /// A hand-assembled age file: `extraStanzas` plus an X25519 stanza for `identity`, a
    /// correct MAC, and the given chunks sealed with the given final flags. Lets a test
    /// build exactly one violation at a time.
    static func craft(for identity: Identity, extraStanzas: [Stanza] = [],
                      chunks: [(plaintext: [UInt8], final: Bool)]) throws -> [UInt8] {
        let fileKey = SecretBytes.random(count: 16)
        let stanzas = extraStanzas + [try identity.recipient.wrap(fileKey: fileKey)]
        var out = Header.encode(stanzas: stanzas, fileKey: fileKey)
        let nonce = Random.bytes(16)
        out += nonce
        let key = PayloadStream.key(fileKey: fileKey, nonce: nonce)
        for (i, chunk) in chunks.enumerated() {
            var sealed = [UInt8](repeating: 0, count: chunk.plaintext.count + 16)
            key.withUnsafeBytes { k in
                chunk.plaintext.withUnsafeBytes { p in
                    sealed.withUnsafeMutableBytes { o in
                        _ = PayloadStream.seal(key: k, counter: UInt64(i), plaintext: p, final: chunk.final, output: o.baseAddress!)
                    }
                }
            }
            out += sealed
        }
        return out
    }

    /// Armors binary bytes with the module's writer.
    static func armor(_ binary: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        let writer = ArmorWriter(sink: { out.append(contentsOf: $0) }, ledger: BufferLedger())
        try binary.withUnsafeBytes { try writer.write($0) }
        try writer.finish()
        return out
    }

    /// Expected binary size (formats.md §1.6) for `n` plaintext bytes and `k` X25519 recipients.
    static func binarySize(plaintext n: Int, recipients k: Int) -> Int {
        let header = 22 + 98 * k + 48
        return header + 16 + n + 16 * max(1, (n + 65535) / 65536)
    }

    /// Expected armored size for a binary file of `length` bytes.
    static func armoredSize(binary length: Int) -> Int {
        let lines = (length + 47) / 48
        return 35 + 4 * ((length + 2) / 3) + lines + 33
    }

    /// Replaces the first occurrence of `old` in `bytes` with `new`.
    static func replacing(_ old: String, with new: String, in bytes: [UInt8]) -> [UInt8] {
        let o = Array(old.utf8)
        var i = 0
        while i + o.count <= bytes.count {
            if Array(bytes[i..<(i + o.count)]) == o {
                return Array(bytes[..<i]) + Array(new.utf8) + Array(bytes[(i + o.count)...])
            }
            i += 1
        }
        Issue.record("pattern \(old) not found")
        return bytes
    }
}
