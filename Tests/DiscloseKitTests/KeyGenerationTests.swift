import Foundation
import Testing
@testable import DiscloseKit
import Age
import Minisign
import Sodium

/// Keys are made by the library (`KeyGeneration`), with the key-file rules, and the
/// command line only prints: it imports no Sodium and appends no audit entry itself.
@Suite("Key generation")
struct KeyGenerationTests {
    let dir: String

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-keygen-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("a passphrase-protected signing key pair: secret 0600, public 0644, loads back with that passphrase and signs")
    func signing() throws {
        let made = try KeyGeneration.signing(out: dir + "/reviewer", unencrypted: false, comment: "reviewer") { SecretBytes(copying: Array("correct horse".utf8)) }
        #expect(made.secretKeyPath == dir + "/reviewer.key" && made.publicKeyPath == dir + "/reviewer.pub")
        #expect(try mode(made.secretKeyPath) == 0o600 && mode(made.publicKeyPath) == 0o644)
        let loaded = try KeyFiles.signingKey(path: made.secretKeyPath) { SecretBytes(copying: Array("correct horse".utf8)) }
        #expect(loaded.key.publicKey.base64 == made.publicKey && "\(loaded.key.keyID)" == made.keyID)
        #expect(try KeyFiles.publicKey(made.publicKeyPath).base64 == made.publicKey)
        #expect(throws: InputError.self) { try KeyFiles.signingKey(path: made.secretKeyPath) { SecretBytes(copying: Array("wrong".utf8)) } }
        // Never over an existing key, and the passphrase is not even asked.
        var asked = false
        #expect(throws: (any Error).self) { try KeyGeneration.signing(out: dir + "/reviewer", unencrypted: true, comment: nil) { asked = true; return SecretBytes(count: 1) } }
        #expect(!asked)
    }

    @Test("an unencrypted signing key asks for no passphrase")
    func unencrypted() throws {
        let made = try KeyGeneration.signing(out: dir + "/throwaway", unencrypted: true, comment: nil) { Issue.record("asked"); return SecretBytes(count: 1) }
        #expect(try SecretKey.isEncrypted(fileContents: FileBytes.read(path: made.secretKeyPath, limit: 4096)) == false)
    }

    @Test("an age identity (0600) and its recipient, which parses and is the identity's")
    func recipient() throws {
        let recipient = try KeyGeneration.recipient(out: dir + "/authority.age")
        #expect(recipient.hasPrefix("age1"))
        #expect(try mode(dir + "/authority.age") == 0o600)
        #expect(try String(contentsOfFile: dir + "/authority.age.pub", encoding: .utf8) == recipient + "\n")
        let ids = try KeyFiles.identities(paths: [dir + "/authority.age"])
        #expect(ids.map { "\($0.recipient)" } == [recipient])
        _ = try Recipient(parsing: recipient)
    }

    @Test("a pseudonymization secret: 64 hex digits, 0600, loadable")
    func pseudonym() throws {
        try KeyGeneration.pseudonym(out: dir + "/pseudonym.key")
        let text = try String(contentsOfFile: dir + "/pseudonym.key", encoding: .utf8)
        #expect(text.count == 65 && text.hasSuffix("\n") && text.dropLast().allSatisfy(\.isHexDigit))
        #expect(try mode(dir + "/pseudonym.key") == 0o600)
        _ = try PseudonymKey.loadSecret(path: dir + "/pseudonym.key")
        #expect(throws: InputError.self) { try KeyGeneration.pseudonym(out: dir + "/pseudonym.key") }
    }

    @Test("the command line imports no Sodium and writes no audit entry itself")
    func cliOnlyPrints() throws {
        let cli = HI1MappingTests.root + "/Sources/disclose"
        for name in try FileManager.default.contentsOfDirectory(atPath: cli) where name.hasSuffix(".swift") {
            let text = try String(contentsOfFile: cli + "/" + name, encoding: .utf8)
            #expect(!text.contains("import Sodium"), "\(name) imports Sodium")
            #expect(!text.contains(".append(event:") && !text.contains("appendExported("), "\(name) appends to the audit log")
        }
    }
}
