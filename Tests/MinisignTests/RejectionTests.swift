import Foundation
import Minisign
import Sodium
import Testing

/// One failure per test, each made from a valid file by a single change.
@Suite struct RejectionTests {
    let key = SecretKey.generate()
    let message = Array("TEST message\n".utf8)
    var valid: String { try! key.sign(message, trustedComment: "TEST trusted", untrustedComment: "TEST untrusted").fileContents }

    /// Expects `malformed` from parsing `text` as a signature file.
    func expectMalformedSignature(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) {
            try Signature(fileContents: text)
        } throws: { error in
            if case MinisignError.malformed = error { return true }
            return false
        }
    }

    func isMalformed(_ error: any Error) -> Bool {
        if case MinisignError.malformed = error { return true }
        return false
    }

    @Test func validFileVerifies() throws {
        #expect(try key.publicKey.verify(Signature(fileContents: valid), message: message) == "TEST trusted")
    }

    @Test func tamperedTrustedComment() throws {
        let text = replacingLine(2, in: valid, with: "trusted comment: TEST trusted!")
        let sig = try Signature(fileContents: text)
        #expect(throws: MinisignError.invalidTrustedCommentSignature) { try key.publicKey.verify(sig, message: message) }
    }

    @Test func tamperedUntrustedCommentStillVerifies() throws {
        let text = replacingLine(0, in: valid, with: "untrusted comment: anyone can edit this")
        let sig = try Signature(fileContents: text)
        #expect(sig.untrustedComment == "anyone can edit this")
        #expect(try key.publicKey.verify(sig, message: message) == "TEST trusted")
    }

    @Test func tamperedMessage() throws {
        let sig = try Signature(fileContents: valid)
        #expect(throws: MinisignError.invalidSignature) { try key.publicKey.verify(sig, message: message + [0]) }
    }

    @Test func wrongKeyID() throws {
        let other = SecretKey.generate().publicKey
        let sig = try Signature(fileContents: valid)
        #expect(throws: MinisignError.keyIDMismatch(expected: other.keyID, found: key.keyID)) {
            try other.verify(sig, message: message)
        }
    }

    @Test func rightKeyIDButWrongKey() throws {
        // Same key id, different Ed25519 key: passes the id check, fails the signature.
        let impostor = try PublicKey(keyID: key.keyID, rawRepresentation: SecretKey.generate().publicKey.rawRepresentation)
        let sig = try Signature(fileContents: valid)
        #expect(throws: MinisignError.invalidSignature) { try impostor.verify(sig, message: message) }
    }

    @Test func forgedGlobalSignatureFromAnotherSignature() throws {
        // Splice the global signature of a different signature: comment check fails.
        let other = try key.sign(message + [1], trustedComment: "TEST trusted").fileContents
        let text = replacingLine(3, in: valid, with: lines(other)[3])
        #expect(throws: MinisignError.invalidTrustedCommentSignature) {
            try key.publicKey.verify(Signature(fileContents: text), message: message)
        }
    }

    @Test func badBase64Character() {
        let l = lines(valid)
        expectMalformedSignature(replacingLine(1, in: valid, with: "!" + l[1].dropFirst()))
        expectMalformedSignature(replacingLine(3, in: valid, with: "*" + l[3].dropFirst()))
    }

    @Test func unpaddedBase64() {
        let l = lines(valid)
        expectMalformedSignature(replacingLine(1, in: valid, with: String(l[1].dropLast())))   // 74 bytes: one '='
        expectMalformedSignature(replacingLine(3, in: valid, with: String(l[3].dropLast(2)))) // 64 bytes: '=='
    }

    @Test func nonCanonicalBase64TrailingBits() {
        // 'w' → 'x' in the last data character sets bits that padding says are unused.
        var g = Array(lines(valid)[3].utf8)
        g[85] = g[85] == UInt8(ascii: "w") ? UInt8(ascii: "x") : UInt8(ascii: "B")
        expectMalformedSignature(replacingLine(3, in: valid, with: String(decoding: g, as: UTF8.self)))
    }

    @Test func whitespaceInBase64Line() {
        expectMalformedSignature(replacingLine(1, in: valid, with: lines(valid)[1] + " "))
    }

    @Test func missingLines() {
        let l = lines(valid)
        expectMalformedSignature("")
        expectMalformedSignature(l[0] + "\n")
        expectMalformedSignature(joined(Array(l[0...1])) + "\n")
        expectMalformedSignature(joined(Array(l[0...2])) + "\n")
        expectMalformedSignature(joined(Array(l[0...2])))   // trusted comment line must end in LF
        expectMalformedSignature(joined([l[0], l[2], l[1], l[3]]))
    }

    @Test func missingPrefixes() {
        expectMalformedSignature(replacingLine(0, in: valid, with: "comment: TEST"))
        expectMalformedSignature(replacingLine(2, in: valid, with: "trusted_comment: TEST trusted"))
    }

    @Test func dataAfterLastLine() {
        expectMalformedSignature(valid + "extra\n")
        expectMalformedSignature(valid + "\n")
    }

    @Test func strayCarriageReturn() {
        expectMalformedSignature(replacingLine(2, in: valid, with: "trusted comment: TEST\rtrusted"))
    }

    @Test func overLongUntrustedComment() throws {
        // 19-byte prefix + 1003 + LF = 1023 bytes: the longest line minisign reads.
        let okay = replacingLine(0, in: valid, with: "untrusted comment: " + String(repeating: "u", count: 1003))
        #expect(try key.publicKey.verify(Signature(fileContents: okay), message: message) == "TEST trusted")
        expectMalformedSignature(replacingLine(0, in: valid, with: "untrusted comment: " + String(repeating: "u", count: 1004)))
        #expect(throws: MinisignError.self) {
            try key.sign(message, trustedComment: "t", untrustedComment: String(repeating: "u", count: 1004))
        }
    }

    @Test func overLongTrustedComment() throws {
        let longest = String(repeating: "t", count: 8173)
        let sig = try key.sign(message, trustedComment: longest)
        #expect(try key.publicKey.verify(Signature(fileContents: sig.fileContents), message: message) == longest)
        expectMalformedSignature(replacingLine(2, in: sig.fileContents, with: "trusted comment: " + longest + "t"))
        #expect(throws: MinisignError.invalidComment("trusted comment is 8174 bytes; at most 8173 are allowed")) {
            try key.sign(message, trustedComment: longest + "t")
        }
    }

    @Test func commentsWithLineBreaksOrNULAreRefused() {
        for bad in ["a\nb", "a\rb", "a\r\n", "a\u{0}b"] {
            #expect(throws: MinisignError.self) { try key.sign(message, trustedComment: bad) }
            #expect(throws: MinisignError.self) { try key.sign(message, trustedComment: "t", untrustedComment: bad) }
            #expect(throws: MinisignError.self) { try key.publicKey.fileContents(comment: bad) }
            #expect(throws: MinisignError.self) { try key.fileContents(protection: .unprotected, comment: bad) }
        }
    }

    @Test func invalidUTF8Comment() {
        var bytes = Array(valid.utf8)
        let i = bytes.firstIndex(of: UInt8(ascii: "T"))!  // first byte of the untrusted comment text
        bytes[i] = 0xFF
        #expect(throws: MinisignError.self) { try Signature(fileContents: bytes) }
    }

    @Test func truncatedSignatureBlobs() {
        let l = lines(valid)
        // 71 bytes instead of 74, validly padded.
        let short = editingBlob(l[1]) { $0.removeLast(3) }
        expectMalformedSignature(replacingLine(1, in: valid, with: short))
        let shortGlobal = editingBlob(l[3]) { $0.removeLast(1) }
        expectMalformedSignature(replacingLine(3, in: valid, with: shortGlobal))
        let long = editingBlob(l[1]) { $0.append(0) }
        expectMalformedSignature(replacingLine(1, in: valid, with: long))
    }

    @Test func truncatedKeyBlobs() throws {
        let pub = key.publicKey
        let shortPub = editingBlob(pub.base64) { $0.removeLast(3) }
        #expect(throws: MinisignError.self) { try PublicKey(base64: shortPub) }
        #expect(throws: MinisignError.self) { try PublicKey(fileContents: "untrusted comment: x\n\(shortPub)\n") }
        #expect(throws: MinisignError.self) { try PublicKey(base64: pub.base64 + "\n") }
        #expect(throws: MinisignError.self) { try PublicKey(fileContents: "untrusted comment: x\n") }

        let file = String(decoding: try key.fileContents(protection: .unprotected), as: UTF8.self)
        let shortKey = editingBlob(lines(file)[1]) { $0.removeLast(3) }
        #expect(throws: MinisignError.self) { try SecretKey(fileContents: replacingLine(1, in: file, with: shortKey)) }
        #expect(throws: MinisignError.self) { try SecretKey.isEncrypted(fileContents: replacingLine(1, in: file, with: shortKey)) }
    }

    @Test func wrongSignatureAlgorithmBytes() {
        for alg in ["XX", "ed", "EE"] {
            let edited = editingBlob(lines(valid)[1]) { $0.replaceSubrange(0..<2, with: Array(alg.utf8)) }
            expectMalformedSignature(replacingLine(1, in: valid, with: edited))
        }
    }

    @Test func wrongKeyAlgorithmBytes() throws {
        let pubED = editingBlob(key.publicKey.base64) { $0[1] = UInt8(ascii: "D") }
        #expect(throws: MinisignError.self) { try PublicKey(base64: pubED) }

        let file = String(decoding: try key.fileContents(protection: .unprotected), as: UTF8.self)
        for (range, bytes) in [(0..<2, "ED"), (2..<4, "Sx"), (4..<6, "B3")] {
            let edited = editingBlob(lines(file)[1]) { $0.replaceSubrange(range, with: Array(bytes.utf8)) }
            #expect(throws: MinisignError.self) { try SecretKey(fileContents: replacingLine(1, in: file, with: edited)) }
        }
    }

    @Test func wrongPassphrase() throws {
        let file = try key.fileContents(protection: .passphrase(passphrase("TEST right"), limits: cheapLimits))
        #expect(throws: MinisignError.wrongPassphrase) { try SecretKey(fileContents: file, passphrase: passphrase("TEST wrong")) }
        #expect(throws: MinisignError.wrongPassphrase) { try SecretKey(fileContents: file, passphrase: passphrase("")) }
        #expect(throws: MinisignError.unsupportedPassphrase) {
            try SecretKey(fileContents: file, passphrase: SecretBytes(copying: [0x61, 0x00]))
        }
    }

    @Test func corruptedUnprotectedKeyChecksum() throws {
        let file = String(decoding: try key.fileContents(protection: .unprotected), as: UTF8.self)
        let edited = editingBlob(lines(file)[1]) { $0[157] ^= 1 }
        #expect { try SecretKey(fileContents: replacingLine(1, in: file, with: edited)) } throws: { isMalformed($0) }
    }

    @Test func inconsistentUnprotectedKeyWithZeroChecksum() throws {
        // Like a minisign 0.11 -W key (zero checksum) whose public half was damaged.
        let file = String(decoding: try key.fileContents(protection: .unprotected), as: UTF8.self)
        let edited = editingBlob(lines(file)[1]) { b in
            b[100] ^= 1
            b.replaceSubrange(126..<158, with: [UInt8](repeating: 0, count: 32))
        }
        #expect { try SecretKey(fileContents: replacingLine(1, in: file, with: edited)) } throws: { isMalformed($0) }
    }

    @Test func excessiveStoredScryptLimitsAreRefusedBeforeDeriving() throws {
        let file = String(decoding: try key.fileContents(protection: .passphrase(passphrase("p"), limits: cheapLimits)),
                          as: UTF8.self)
        let edited = editingBlob(lines(file)[1]) { $0.replaceSubrange(46..<54, with: [0, 0, 0, 0, 0, 1, 0, 0]) } // 2^40
        #expect { try SecretKey(fileContents: replacingLine(1, in: file, with: edited), passphrase: passphrase("p")) }
            throws: { isMalformed($0) }
    }

    @Test func crlfAndMissingFinalNewlineAreAccepted() throws {
        let crlf = valid.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try key.publicKey.verify(Signature(fileContents: crlf), message: message) == "TEST trusted")
        let noFinal = String(valid.dropLast())
        #expect(try key.publicKey.verify(Signature(fileContents: noFinal), message: message) == "TEST trusted")
    }

    @Test func oversizedInputIsRefusedUpFront() {
        expectMalformedSignature(valid + String(repeating: "x", count: 10_000))
        #expect(throws: MinisignError.self) { try PublicKey(fileContents: String(repeating: "x", count: 5_000)) }
    }
}
