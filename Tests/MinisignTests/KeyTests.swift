import Foundation
import Minisign
import Sodium
import Testing

@Suite struct KeyTests {
    @Test func keyIDDisplayIsLittleEndianUppercaseUnpadded() throws {
        #expect(try KeyID(bytes: [0xf6, 0x6a, 0x4e, 0x5f, 0x2d, 0x23, 0xe9, 0xd3]).description == "D3E9232D5F4E6AF6")
        // minisign 0.11 prints %PRIX64: a zero top byte gives fewer than 16 digits.
        #expect(try KeyID(bytes: [0xab, 0x01, 0, 0, 0, 0, 0, 0]).description == "1AB")
        #expect(try KeyID(bytes: [0, 0, 0, 0, 0, 0, 0, 0]).description == "0")
        #expect(throws: MinisignError.self) { try KeyID(bytes: [1, 2, 3]) }
    }

    @Test func publicKeyFileRoundTripsWithDefaultComment() throws {
        let key = SecretKey.generate()
        let pub = key.publicKey
        let file = try pub.fileContents()
        #expect(file == "untrusted comment: minisign public key \(pub.keyIDString)\n\(pub.base64)\n")
        #expect(pub.base64.hasPrefix("RW") && pub.base64.utf8.count == 56)
        #expect(try PublicKey(fileContents: file) == pub)
        #expect(try PublicKey(fileContents: try pub.fileContents(comment: "TEST custom")).keyID == pub.keyID)
    }

    @Test func publicKeyFileIgnoresLine1AndAcceptsCRLFAndNoFinalNewline() throws {
        let pub = SecretKey.generate().publicKey
        #expect(try PublicKey(fileContents: "anything at all\n\(pub.base64)") == pub)
        #expect(try PublicKey(fileContents: "untrusted comment: x\r\n\(pub.base64)\r\n") == pub)
    }

    @Test func unprotectedSecretKeyRoundTrips() throws {
        let key = SecretKey.generate()
        let file = try key.fileContents(protection: .unprotected)
        let text = String(decoding: file, as: UTF8.self)
        #expect(text.hasPrefix("untrusted comment: minisign encrypted secret key\nRWQAAEIy"))
        #expect(try SecretKey.isEncrypted(fileContents: file) == false)
        let loaded = try SecretKey(fileContents: file)
        #expect(loaded.publicKey == key.publicKey)
        // Signing with the reloaded key gives the same (deterministic) signature.
        let a = try key.sign([1, 2, 3], trustedComment: "t")
        let b = try loaded.sign([1, 2, 3], trustedComment: "t")
        #expect(a == b)
    }

    @Test func protectedSecretKeyRoundTripsAndNeedsThePassphrase() throws {
        let key = SecretKey.generate()
        let file = try key.fileContents(protection: .passphrase(passphrase("TEST pass"), limits: cheapLimits),
                                        comment: "TEST key")
        #expect(try SecretKey.isEncrypted(fileContents: file))
        #expect(throws: MinisignError.passphraseRequired) { try SecretKey(fileContents: file) }
        let loaded = try SecretKey(fileContents: file, passphrase: passphrase("TEST pass"))
        #expect(loaded.publicKey == key.publicKey)
        // Fresh salt every time.
        let again = try key.fileContents(protection: .passphrase(passphrase("TEST pass"), limits: cheapLimits))
        #expect(Array(file.suffix(213)) != Array(again.suffix(213)))
    }

    @Test func protectedKeyStoresTheRequestedLimits() throws {
        let file = try SecretKey.generate().fileContents(protection: .passphrase(passphrase("p"), limits: cheapLimits))
        let blob = try #require(Base64.padded.decode(lines(String(decoding: file, as: UTF8.self))[1]))
        #expect(Array(blob[0..<6]) == Array("EdScB2".utf8))
        #expect(Array(blob[38..<46]) == [0x00, 0x00, 0x08, 0, 0, 0, 0, 0]) // 524288 LE
        #expect(Array(blob[46..<54]) == [0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0]) // 16 MiB LE
    }

    @Test func secretKeyFileIsBytesTheCallerCanWipe() throws {
        var file = try SecretKey.generate().fileContents(protection: .unprotected)
        Memory.wipe(&file)
        #expect(file.allSatisfy { $0 == 0 })
    }

    @Test func streamingSignatureEqualsOneShot() throws {
        let key = SecretKey.generate()
        let message = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var digest = MessageDigest()
        var offset = 0
        while offset < message.count {
            let end = min(message.count, offset + 4093)
            digest.update(Array(message[offset..<end]))
            offset = end
        }
        let prehash = digest.finalize()
        #expect(prehash == BLAKE2b.hash(message, outputLength: 64))
        let streamed = try key.sign(prehash: prehash, trustedComment: "TEST")
        let whole = try key.sign(message, trustedComment: "TEST")
        #expect(streamed == whole)
        #expect(try key.publicKey.verify(streamed, prehash: prehash) == "TEST")
        #expect(try key.publicKey.verify(streamed, message: message) == "TEST")
        #expect(throws: MinisignError.self) { try key.sign(prehash: [1, 2, 3], trustedComment: "x") }
        #expect(throws: MinisignError.self) { try key.publicKey.verify(streamed, prehash: [1, 2, 3]) }
    }

    @Test func fileSigningUsesMinisignDefaultComments() throws {
        try withTemporaryDirectory { dir in
            let file = dir.appendingPathComponent("report.pdf")
            try file.write("TEST contents")
            let key = SecretKey.generate()
            let before = UInt64(Date().timeIntervalSince1970)
            let sig = try key.sign(contentsOf: file)
            let after = UInt64(Date().timeIntervalSince1970)
            #expect(sig.untrustedComment == "signature from minisign secret key")
            let parts = sig.trustedComment.split(separator: "\t").map(String.init)
            #expect(parts.count == 3 && parts[1] == "file:report.pdf" && parts[2] == "hashed")
            let ts = try #require(UInt64(parts[0].dropFirst("timestamp:".count)))
            #expect(before <= ts && ts <= after)
            #expect(try key.publicKey.verify(sig, contentsOf: file) == sig.trustedComment)
        }
        #expect(Signature.defaultTrustedComment(fileName: "/a/b/c.txt", timestamp: Date(timeIntervalSince1970: 1795957642.9))
                == "timestamp:1795957642\tfile:c.txt\thashed")
    }

    @Test func verifiedTrustedCommentIsReturned() throws {
        let key = SecretKey.generate()
        let sig = try key.sign(Array("m".utf8), trustedComment: "TEST ünïcode\ttab", untrustedComment: "ü")
        let parsed = try Signature(fileContents: sig.fileContents)
        #expect(parsed == sig)
        #expect(try key.publicKey.verify(parsed, message: Array("m".utf8)) == "TEST ünïcode\ttab")
    }
}

@Suite struct DescriptionTests {
    @Test func secretKeyDescriptionNamesOnlyTheKeyID() throws {
        let key = try SecretKey(fileContents: try Vectors.bytes("TEST-unprotected.key"))
        #expect(String(describing: key) == "SecretKey(key id D73E27770687F97B)")
        #expect(String(reflecting: key) == "SecretKey(key id D73E27770687F97B)")
    }

    @Test func errorMessagesSayWhatFailed() throws {
        let other = try KeyID(bytes: [1, 0, 0, 0, 0, 0, 0, 0])
        let key = try KeyID(bytes: [2, 0, 0, 0, 0, 0, 0, 0])
        #expect(MinisignError.keyIDMismatch(expected: key, found: other).description
                == "signature key id is 1 but the key id in the public key is 2")
        #expect(MinisignError.wrongPassphrase.description == "wrong passphrase for that secret key")
        #expect(throws: MinisignError.malformed("signature is not valid padded base64")) {
            try Signature(fileContents: "untrusted comment: x\n" + String(repeating: "!", count: 100)
                          + "\ntrusted comment: y\n" + String(repeating: "A", count: 86) + "==\n")
        }
    }
}
