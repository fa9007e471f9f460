import Foundation
import Testing
@testable import Age
import Sodium

/// `decryptFile(at:to:)`: all-or-nothing output, 0600, no temp files left behind.
@Suite("Atomic file decryption")
struct FileDecryptionTests {
    let identity = Identity.generate()

    func entries(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    @Test func successWritesFileWithMode0600() throws {
        let dir = try Support.temporaryDirectory()
        defer { Support.cleanup(dir) }
        let plaintext = Support.bytes(200_000)
        let src = dir.appendingPathComponent("in.age"), dst = dir.appendingPathComponent("out.bin")
        try Data(Encryptor.encrypt(plaintext, to: [identity.recipient], armored: true)).write(to: src)
        try Decryptor(identities: [identity]).decryptFile(at: src, to: dst)
        #expect([UInt8](try Data(contentsOf: dst)) == plaintext)
        let mode = (try FileManager.default.attributesOfItem(atPath: dst.path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        #expect(try entries(dir) == ["in.age", "out.bin"])
    }

    @Test(arguments: ["trailing", "truncated", "badTag", "wrongKey"])
    func failureLeavesNothing(_ kind: String) throws {
        let dir = try Support.temporaryDirectory()
        defer { Support.cleanup(dir) }
        var file = try Encryptor.encrypt(Support.bytes(65536 * 3), to: [identity.recipient])
        var identities = [identity]
        switch kind {
        case "trailing": file.append(0)
        case "truncated": file.removeLast(65552)
        case "badTag": file[file.count - 1] ^= 1
        default: identities = [Identity.generate()]
        }
        let src = dir.appendingPathComponent("in.age"), dst = dir.appendingPathComponent("out.bin")
        try Data(file).write(to: src)
        #expect(throws: AgeError.self) { try Decryptor(identities: identities).decryptFile(at: src, to: dst) }
        #expect(try entries(dir) == ["in.age"], "\(kind): output or temp file left behind")
    }

    @Test func failureKeepsAnExistingDestination() throws {
        let dir = try Support.temporaryDirectory()
        defer { Support.cleanup(dir) }
        let src = dir.appendingPathComponent("in.age"), dst = dir.appendingPathComponent("out.bin")
        try Data(Encryptor.encrypt(Support.bytes(100), to: [identity.recipient]) + [1]).write(to: src)
        try Data("previous".utf8).write(to: dst)
        #expect(throws: AgeError.self) { try Decryptor(identities: [identity]).decryptFile(at: src, to: dst) }
        #expect(try String(contentsOf: dst, encoding: .utf8) == "previous")
    }

    @Test func encryptFileRoundTrip() throws {
        let dir = try Support.temporaryDirectory()
        defer { Support.cleanup(dir) }
        let plaintext = Support.bytes(5_000_000)
        let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b.age"), c = dir.appendingPathComponent("c")
        try Data(plaintext).write(to: a)
        try Encryptor.encryptFile(at: a, to: b, recipients: [identity.recipient])
        #expect(try FileManager.default.attributesOfItem(atPath: b.path)[.size] as? Int == Support.binarySize(plaintext: plaintext.count, recipients: 1))
        try Decryptor(identities: [identity]).decryptFile(at: b, to: c)
        #expect([UInt8](try Data(contentsOf: c)) == plaintext)
    }
}
