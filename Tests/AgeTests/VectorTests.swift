import Foundation
import Testing
@testable import Age
import Sodium

/// The public C2SP/CCTV age conformance vectors (../shared/age-vectors), X25519 subset.
@Suite("CCTV age vectors")
struct VectorTests {
    struct Vector: Sendable, CustomStringConvertible {
        var name: String
        var expect: String
        var payload: String?
        var identities: [String]
        var armored: Bool
        var compressed: Bool
        var body: [UInt8]
        var description: String { name }
    }

    static let knownKeys: Set<String> = ["expect", "payload", "file key", "identity", "passphrase", "armored", "compressed", "comment"]

    /// Every vector that needs only X25519 (scrypt and hybrid ones are out of scope).
    static func x25519Vectors() -> [String] {
        guard Support.vectorsAvailable,
              let names = try? FileManager.default.contentsOfDirectory(atPath: Support.vectorsDirectory.path) else { return [] }
        return names.filter { name in
            name != "README.txt" && !name.hasPrefix("scrypt") && !name.hasPrefix("hybrid")
                && name != "armor_scrypt" && name != "armor_hybrid"
        }.sorted()
    }

    static func load(_ name: String) throws -> Vector {
        let data = [UInt8](try Data(contentsOf: Support.vectorsDirectory.appendingPathComponent(name)))
        var split = -1
        for i in 0..<(data.count - 1) where data[i] == 0x0A && data[i + 1] == 0x0A { split = i; break }
        #expect(split > 0, "no blank line in \(name)")
        var v = Vector(name: name, expect: "", payload: nil, identities: [], armored: false, compressed: false,
                       body: Array(data[(split + 2)...]))
        for line in String(decoding: data[..<split], as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(parts.count == 2 && knownKeys.contains(parts[0]), "unknown preamble line \(line) in \(name)")
            switch parts[0] {
            case "expect": v.expect = parts[1]
            case "payload": v.payload = parts[1]
            case "identity": v.identities.append(parts[1])
            case "armored": v.armored = parts[1] == "yes"
            case "compressed": v.compressed = parts[1] == "zlib"
            default: break
            }
        }
        if v.compressed { v.body = try inflate(v.body) }
        return v
    }

    /// zlib-inflates through python3's zlib module (the vectors are stored compressed).
    static func inflate(_ bytes: [UInt8]) throws -> [UInt8] {
        guard let python = Support.tool("python3") else {
            Issue.record("python3 is needed to inflate compressed vectors")
            return []
        }
        let result = try Support.run(python, ["-c", "import sys,zlib;sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read()))"], input: bytes)
        #expect(result.status == 0, "inflate failed: \(result.stderr)")
        return result.stdout
    }

    @Test("vector folder is present (required under CI=true)")
    func vectorsPresent() throws {
        if !Support.vectorsAvailable {
            if Support.isCI { Issue.record("age vectors not found at \(Support.vectorsDirectory.path)") }
            return
        }
        #expect(Self.x25519Vectors().count == 98)
    }

    @Test("each X25519 vector gives the expected outcome and releases exactly the expected plaintext",
          .enabled(if: Support.vectorsAvailable), arguments: x25519Vectors())
    func vector(_ name: String) throws {
        let v = try Self.load(name)
        let identities = try v.identities.map { try Identity(parsing: $0) }
        let (released, error) = Support.decrypt(v.body, identities, format: v.armored ? .armored : .binary)
        #expect(Support.category(error) == v.expect, "\(name): got \(error.map { "\($0)" } ?? "success"), expected \(v.expect)")
        if let payload = v.payload {
            #expect(Support.sha256Hex(released) == payload, "\(name): released plaintext hash differs")
        } else {
            #expect(released.isEmpty, "\(name): released \(released.count) bytes on a header-level failure")
        }
        if v.expect == "success", !v.armored {
            // Auto-detection must agree with the explicit binary format.
            let auto = Support.decrypt(v.body, identities)
            #expect(auto.error == nil && auto.released == released)
        }
    }

    @Test("armor auto-detection accepts leading whitespace lines (armor_whitespace_outside)",
          .enabled(if: Support.vectorsAvailable))
    func detectArmorAfterWhitespace() throws {
        let v = try Self.load("armor_whitespace_outside")
        let identities = try v.identities.map { try Identity(parsing: $0) }
        let (released, error) = Support.decrypt(v.body, identities, format: .detect)
        #expect(error == nil)
        #expect(Support.sha256Hex(released) == v.payload)
    }
}
