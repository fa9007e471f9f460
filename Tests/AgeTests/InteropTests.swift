import Foundation
import Testing
@testable import Age
import Sodium

/// Round trips with the stock `age` 1.1.1 / `age-keygen` tools, both directions.
@Suite("Interop with stock age", .enabled(if: Support.stockAgeAvailable || Support.isCI))
struct InteropTests {
    static let sizes = [0, 1, 65535, 65536, 65537, 131072, 3_000_017]
    static let shapes: [(armored: Bool, recipients: Int)] = [(false, 1), (false, 3), (true, 1), (true, 3)]

    struct Case: Sendable, CustomStringConvertible {
        var size: Int, armored: Bool, recipients: Int
        var description: String { "\(size) bytes, \(armored ? "armored" : "binary"), \(recipients) recipient(s)" }
    }

    static let cases: [Case] = sizes.flatMap { s in shapes.map { Case(size: s, armored: $0.armored, recipients: $0.recipients) } }

    @Test("our encryption decrypts with age -d -i, sizes follow the formula", arguments: cases)
    func oursToStock(_ c: Case) throws {
        guard let age = Support.requireTool("age") else { return }
        let dir = try Support.temporaryDirectory()
        defer { Support.cleanup(dir) }
        let identities = (0..<c.recipients).map { _ in Identity.generate() }
        // Key file written by us, read by age: use the last identity so stanza order matters not.
        let keyURL = dir.appendingPathComponent("key.txt")
        try IdentityFile(identities: [identities.last!]).write(to: keyURL)
        let plaintext = Support.bytes(c.size, seed: UInt64(c.size) &+ 7)
        let ciphertext = try Encryptor.encrypt(plaintext, to: identities.map(\.recipient), armored: c.armored)
        let binarySize = Support.binarySize(plaintext: c.size, recipients: c.recipients)
        #expect(ciphertext.count == (c.armored ? Support.armoredSize(binary: binarySize) : binarySize))
        if c.armored { #expect(ciphertext.starts(with: Array("-----BEGIN AGE ENCRYPTED FILE-----\n".utf8))) }
        let inURL = dir.appendingPathComponent("in.age")
        try Data(ciphertext).write(to: inURL)
        let result = try Support.run(age, ["-d", "-i", keyURL.path, inURL.path])
        #expect(result.status == 0, "age -d failed: \(result.stderr)")
        #expect(result.stdout == plaintext)
    }

    @Test("age -e -r output decrypts with our decryptor, keys from age-keygen", arguments: cases)
    func stockToOurs(_ c: Case) throws {
        guard let age = Support.requireTool("age"), let keygen = Support.requireTool("age-keygen") else { return }
        let dir = try Support.temporaryDirectory()
        defer { Support.cleanup(dir) }
        var recipientArgs: [String] = []
        var identities: [Identity] = []
        for i in 0..<c.recipients {
            let keyURL = dir.appendingPathComponent("key\(i).txt")
            let made = try Support.run(keygen, ["-o", keyURL.path])
            #expect(made.status == 0)
            let file = try IdentityFile(contentsOf: keyURL)
            identities += file.identities
            let pub = try Support.run(keygen, ["-y", keyURL.path])
            let printed = String(decoding: pub.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(printed == file.identities[0].recipient.description, "our public key differs from age-keygen -y")
            recipientArgs += ["-r", printed]
        }
        let plaintext = Support.bytes(c.size, seed: UInt64(c.size) &+ 99)
        let inURL = dir.appendingPathComponent("in.bin"), outURL = dir.appendingPathComponent("out.age")
        try Data(plaintext).write(to: inURL)
        let result = try Support.run(age, ["-e"] + recipientArgs + (c.armored ? ["-a"] : []) + ["-o", outURL.path, inURL.path])
        #expect(result.status == 0, "age -e failed: \(result.stderr)")
        let ciphertext = [UInt8](try Data(contentsOf: outURL))
        let binarySize = Support.binarySize(plaintext: c.size, recipients: c.recipients)
        #expect(ciphertext.count == (c.armored ? Support.armoredSize(binary: binarySize) : binarySize))
        // Decrypt with the middle identity only.
        let (released, error) = Support.decrypt(ciphertext, [identities[identities.count / 2]])
        #expect(error == nil, "our decrypt failed: \(String(describing: error))")
        #expect(released == plaintext)
    }

    @Test("a key file from age-keygen with CRLF line endings and extra comments parses")
    func keygenFileCRLF() throws {
        guard let keygen = Support.requireTool("age-keygen") else { return }
        let made = try Support.run(keygen, [])
        #expect(made.status == 0)
        #expect(made.stderr.contains("Public key: age1"), "stderr: \(made.stderr) stdout: \(made.stdout.count)")
        let text = String(decoding: made.stdout, as: UTF8.self)
        let crlf = "\n# another comment\n\n" + text.replacingOccurrences(of: "\n", with: "\r\n")
        let a = try IdentityFile(parsing: text), b = try IdentityFile(parsing: crlf)
        #expect(a.identities.count == 1 && b.identities.count == 1)
        #expect(a.identities[0].recipient == b.identities[0].recipient)
        #expect(text.contains("# public key: \(a.identities[0].recipient)"))
    }

    @Test("stock age rejects a file we tampered with, and so do we")
    func tamperedBothReject() throws {
        guard let age = Support.requireTool("age") else { return }
        let dir = try Support.temporaryDirectory()
        defer { Support.cleanup(dir) }
        let identity = Identity.generate()
        let keyURL = dir.appendingPathComponent("key.txt")
        try IdentityFile(identities: [identity]).write(to: keyURL)
        var file = try Encryptor.encrypt(Support.bytes(1000), to: [identity.recipient])
        file[file.count - 5] ^= 1
        let inURL = dir.appendingPathComponent("bad.age")
        try Data(file).write(to: inURL)
        let result = try Support.run(age, ["-d", "-i", keyURL.path, inURL.path])
        #expect(result.status == 1)
        #expect(Support.category(Support.decrypt(file, [identity]).error) == "payload failure")
    }
}
