import Foundation
import Minisign
import Sodium
import Testing

/// Both directions against the stock minisign 0.11 tool, with unprotected and cheap
/// protected keys. The ~1 GiB scrypt keys are in `ExpensiveInteropTests`.
@Suite(.enabled(if: MinisignTool.shouldRun, "minisign is not installed"))
struct InteropTests {
    let message = Array("TEST interop message\nsecond line\n".utf8) + (0..<3000).map { UInt8(truncatingIfNeeded: $0) }

    @Test func ourSignatureVerifiesWithMinisign() throws {
        try withTemporaryDirectory { dir in
            let key = SecretKey.generate()
            let file = dir.appendingPathComponent("data.bin")
            try file.write(message)
            try dir.appendingPathComponent("key.pub").write(try key.publicKey.fileContents())
            let sig = try key.sign(contentsOf: file)
            try dir.appendingPathComponent("data.bin.minisig").write(sig.fileContents)
            try dir.appendingPathComponent("elsewhere.sig").write(sig.fileContents)

            let r1 = try MinisignTool.run(["-V", "-H", "-m", "data.bin", "-p", "key.pub"], in: dir)
            #expect(r1.status == 0, "\(r1.stderr)")
            #expect(r1.stdout.contains("Trusted comment: \(sig.trustedComment)"))
            let r2 = try MinisignTool.run(["-V", "-H", "-m", "data.bin", "-x", "elsewhere.sig", "-P", key.publicKey.base64], in: dir)
            #expect(r2.status == 0, "\(r2.stderr)")
            // And minisign notices a changed file.
            try file.write(message + [0])
            let r3 = try MinisignTool.run(["-V", "-H", "-m", "data.bin", "-p", "key.pub"], in: dir)
            #expect(r3.status == 1)
        }
    }

    @Test func minisignKeyAndSignatureWorkWithOurs() throws {
        try withTemporaryDirectory { dir in
            let gen = try MinisignTool.run(["-G", "-W", "-p", "m.pub", "-s", "m.key"], in: dir)
            try #require(gen.status == 0, "\(gen.stderr)")
            let pub = try PublicKey(fileContents: try dir.appendingPathComponent("m.pub").text())
            #expect(try dir.appendingPathComponent("m.pub").text().hasPrefix("untrusted comment: minisign public key \(pub.keyIDString)\n"))
            #expect(gen.stdout.contains("-P \(pub.base64)"))
            let key = try SecretKey(fileContents: try dir.appendingPathComponent("m.key").bytes())
            #expect(key.publicKey == pub)

            let file = dir.appendingPathComponent("data.bin")
            try file.write(message)
            let sign = try MinisignTool.run(["-S", "-s", "m.key", "-m", "data.bin"], in: dir)
            try #require(sign.status == 0, "\(sign.stderr)")
            let sig = try Signature(fileContents: try dir.appendingPathComponent("data.bin.minisig").bytes())
            #expect(sig.algorithm == .prehashed)
            #expect(sig.untrustedComment == Signature.defaultUntrustedComment)
            let trusted = try pub.verify(sig, message: message)
            #expect(trusted.hasPrefix("timestamp:") && trusted.hasSuffix("\tfile:data.bin\thashed"))
            #expect(try pub.verify(sig, contentsOf: file) == trusted)

            // Same key, same comments: byte-identical .minisig.
            let ours = try key.sign(message, trustedComment: trusted)
            #expect(ours.fileContents == (try dir.appendingPathComponent("data.bin.minisig").text()))
        }
    }

    @Test func ourUnprotectedKeyIsAcceptedByMinisignAndSignsIdentically() throws {
        try withTemporaryDirectory { dir in
            let key = SecretKey.generate()
            try dir.appendingPathComponent("k.key").write(try key.fileContents(protection: .unprotected))
            try dir.appendingPathComponent("data.bin").write(message)
            let r = try MinisignTool.run(["-S", "-s", "k.key", "-m", "data.bin", "-t", "TEST trusted ✓", "-c", "TEST untrusted"], in: dir)
            try #require(r.status == 0, "\(r.stderr)")
            let theirs = try dir.appendingPathComponent("data.bin.minisig").text()
            let ours = try key.sign(message, trustedComment: "TEST trusted ✓", untrustedComment: "TEST untrusted")
            #expect(ours.fileContents == theirs)
        }
    }

    @Test func ourCheapProtectedKeyIsAcceptedByMinisign() throws {
        try withTemporaryDirectory { dir in
            let key = SecretKey.generate()
            let file = try key.fileContents(protection: .passphrase(passphrase("TEST pass"), limits: cheapLimits))
            try dir.appendingPathComponent("k.key").write(file)
            try dir.appendingPathComponent("data.bin").write(message)
            let r = try MinisignTool.run(["-S", "-s", "k.key", "-m", "data.bin", "-t", "TEST t", "-c", "TEST c"],
                                         in: dir, stdin: "TEST pass\n")
            try #require(r.status == 0, "\(r.stderr)")
            let ours = try key.sign(message, trustedComment: "TEST t", untrustedComment: "TEST c")
            #expect(ours.fileContents == (try dir.appendingPathComponent("data.bin.minisig").text()))
            // minisign agrees the passphrase matters.
            let wrong = try MinisignTool.run(["-S", "-s", "k.key", "-m", "data.bin", "-x", "w.sig"], in: dir, stdin: "TEST nope\n")
            #expect(wrong.status != 0)
            #expect(wrong.stderr.contains("Wrong password"))
        }
    }

    @Test func legacySignatureFromMinisign() throws {
        try withTemporaryDirectory { dir in
            let key = SecretKey.generate()
            try dir.appendingPathComponent("k.key").write(try key.fileContents(protection: .unprotected))
            try dir.appendingPathComponent("data.bin").write(message)
            let r = try MinisignTool.run(["-S", "-l", "-s", "k.key", "-m", "data.bin", "-t", "TEST legacy"], in: dir)
            try #require(r.status == 0, "\(r.stderr)")
            let sig = try Signature(fileContents: try dir.appendingPathComponent("data.bin.minisig").text())
            #expect(sig.algorithm == .legacy)
            #expect(throws: MinisignError.legacySignature) { try key.publicKey.verify(sig, message: message) }
            #expect(try key.publicKey.verify(sig, message: message, allowLegacy: true) == "TEST legacy")
        }
    }

    @Test func rejectionsAgreeWithMinisign() throws {
        try withTemporaryDirectory { dir in
            let key = SecretKey.generate()
            try dir.appendingPathComponent("k.pub").write(try key.publicKey.fileContents())
            try dir.appendingPathComponent("data.bin").write(message)
            let valid = try key.sign(message, trustedComment: "TEST trusted").fileContents

            func minisignStatus(_ sig: String) throws -> Int32 {
                try dir.appendingPathComponent("s.minisig").write(sig)
                return try MinisignTool.run(["-V", "-H", "-m", "data.bin", "-x", "s.minisig", "-p", "k.pub"], in: dir).status
            }
            func ours(_ sig: String) -> MinisignError? {
                do { try key.publicKey.verify(Signature(fileContents: sig), message: message); return nil }
                catch { return error as? MinisignError }
            }

            // Accepted by both: CRLF, no final newline, edited untrusted comment, longest comments.
            let longestTrusted = try key.sign(message, trustedComment: String(repeating: "t", count: 8173)).fileContents
            let longestUntrusted = replacingLine(0, in: valid, with: "untrusted comment: " + String(repeating: "u", count: 1003))
            for good in [valid.replacingOccurrences(of: "\n", with: "\r\n"), String(valid.dropLast()),
                         replacingLine(0, in: valid, with: "untrusted comment: edited"), longestTrusted, longestUntrusted] {
                #expect(try minisignStatus(good) == 0)
                #expect(ours(good) == nil)
            }

            // Exit 1 in minisign: cryptographic failures.
            let tampered = replacingLine(2, in: valid, with: "trusted comment: TEST trusted!")
            #expect(try minisignStatus(tampered) == 1)
            #expect(ours(tampered) == .invalidTrustedCommentSignature)

            // Exit 2 in minisign: format errors.
            let l = lines(valid)
            let formatErrors = [
                replacingLine(1, in: valid, with: String(l[1].dropLast())),                       // unpadded
                replacingLine(0, in: valid, with: "untrusted comment: " + String(repeating: "u", count: 1004)),
                replacingLine(2, in: longestTrusted, with: "trusted comment: " + String(repeating: "t", count: 8174)),
                joined(Array(l[0...1])) + "\n",                                                    // missing lines
                replacingLine(1, in: valid, with: editingBlob(l[1]) { $0.replaceSubrange(0..<2, with: Array("XX".utf8)) }),
            ]
            for bad in formatErrors {
                #expect(try minisignStatus(bad) == 2)
                if case .malformed? = ours(bad) {} else { Issue.record("expected malformed, got \(String(describing: ours(bad)))") }
            }
        }
    }
}

/// Keys protected with minisign's real scrypt limits (~1 GiB, ~3 s per derivation).
/// Serialized so two of them never run at once on a small machine.
@Suite(.serialized, .enabled(if: MinisignTool.shouldRun, "minisign is not installed"))
struct ExpensiveInteropTests {
    let message = Array("TEST expensive interop message\n".utf8)

    @Test func minisignProtectedKeyLoadsAndSignsIdentically() throws {
        try withTemporaryDirectory { dir in
            let pass = "TEST passphrase for a throwaway key"
            let gen = try MinisignTool.run(["-G", "-p", "m.pub", "-s", "m.key"], in: dir, stdin: "\(pass)\n\(pass)\n")
            try #require(gen.status == 0, "\(gen.stderr)")
            let keyFile = try dir.appendingPathComponent("m.key").bytes()
            #expect(try SecretKey.isEncrypted(fileContents: keyFile))
            #expect(throws: MinisignError.passphraseRequired) { try SecretKey(fileContents: keyFile) }
            let blob = try #require(Base64.padded.decode(lines(String(decoding: keyFile, as: UTF8.self))[1]))
            #expect(Array(blob[38..<54]) == [0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0])

            let key = try SecretKey(fileContents: keyFile, passphrase: passphrase(pass))
            let pub = try PublicKey(fileContents: try dir.appendingPathComponent("m.pub").text())
            #expect(key.publicKey == pub)

            try dir.appendingPathComponent("data.bin").write(message)
            let sign = try MinisignTool.run(["-S", "-s", "m.key", "-m", "data.bin", "-t", "TEST t", "-c", "TEST c"],
                                            in: dir, stdin: "\(pass)\n")
            try #require(sign.status == 0, "\(sign.stderr)")
            let ours = try key.sign(message, trustedComment: "TEST t", untrustedComment: "TEST c")
            #expect(ours.fileContents == (try dir.appendingPathComponent("data.bin.minisig").text()))
        }
    }

    @Test func ourProtectedKeyWithMinisignLimitsIsAcceptedByMinisign() throws {
        try withTemporaryDirectory { dir in
            let pass = "TEST another throwaway passphrase"
            let key = SecretKey.generate()
            let file = try key.fileContents(protection: .passphrase(passphrase(pass)))
            let blob = try #require(Base64.padded.decode(lines(String(decoding: file, as: UTF8.self))[1]))
            #expect(Array(blob[0..<6]) == Array("EdScB2".utf8))
            #expect(Array(blob[38..<54]) == [0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0])
            try dir.appendingPathComponent("k.key").write(file)
            try dir.appendingPathComponent("data.bin").write(message)
            let r = try MinisignTool.run(["-S", "-s", "k.key", "-m", "data.bin", "-t", "TEST t", "-c", "TEST c"],
                                         in: dir, stdin: "\(pass)\n")
            try #require(r.status == 0, "\(r.stderr)")
            let ours = try key.sign(message, trustedComment: "TEST t", untrustedComment: "TEST c")
            #expect(ours.fileContents == (try dir.appendingPathComponent("data.bin.minisig").text()))
        }
    }
}
