import Foundation
import Minisign
import Sodium
import Testing

/// Golden vectors made by minisign 0.11; these need no tool at test time.
@Suite struct VectorTests {
    @Test func vectorKeysLoadAndMatch() throws {
        let pub = try PublicKey(fileContents: try Vectors.text("TEST-unprotected.pub"))
        let key = try SecretKey(fileContents: try Vectors.bytes("TEST-unprotected.key"))
        #expect(try SecretKey.isEncrypted(fileContents: try Vectors.bytes("TEST-unprotected.key")) == false)
        #expect(key.publicKey == pub)
        #expect(key.keyID == pub.keyID)
        #expect(pub.keyIDString == "D73E27770687F97B")
        #expect(pub.base64 == "RWR7+YcGdyc+14nZOxjLkBv5IvwreDNM6RMKtRnDqlGoEMwIm79ZP0dl")
        #expect(try PublicKey(base64: pub.base64) == pub)
    }

    @Test func vectorSignatureVerifies() throws {
        let pub = try PublicKey(fileContents: try Vectors.text("TEST-unprotected.pub"))
        let sig = try Signature(fileContents: try Vectors.text("message.txt.minisig"))
        #expect(sig.algorithm == .prehashed)
        #expect(sig.untrustedComment == "TEST vector untrusted comment")
        let trusted = try pub.verify(sig, message: try Vectors.bytes("message.txt"))
        #expect(trusted == "TEST vector trusted comment")
        #expect(try pub.verify(sig, contentsOf: try Vectors.url("message.txt")) == trusted)
    }

    @Test func signingReproducesMinisignByteForByte() throws {
        let key = try SecretKey(fileContents: try Vectors.bytes("TEST-unprotected.key"))
        let sig = try key.sign(try Vectors.bytes("message.txt"), trustedComment: "TEST vector trusted comment",
                               untrustedComment: "TEST vector untrusted comment")
        #expect(sig.fileContents == (try Vectors.text("message.txt.minisig")))
        // Parse → serialise is the identity on minisign's output.
        #expect(try Signature(fileContents: try Vectors.text("message.txt.minisig")).fileContents
                == (try Vectors.text("message.txt.minisig")))
    }

    @Test func legacyVectorRejectedUnlessAllowed() throws {
        let pub = try PublicKey(fileContents: try Vectors.text("TEST-unprotected.pub"))
        let sig = try Signature(fileContents: try Vectors.text("message.txt.legacy.minisig"))
        let message = try Vectors.bytes("message.txt")
        #expect(sig.algorithm == .legacy)
        #expect(throws: MinisignError.legacySignature) { try pub.verify(sig, message: message) }
        #expect(throws: MinisignError.legacySignature) { try pub.verify(sig, contentsOf: try Vectors.url("message.txt")) }
        #expect(throws: MinisignError.legacySignature) { try pub.verify(sig, prehash: MessageDigest.hash(message)) }
        #expect(try pub.verify(sig, message: message, allowLegacy: true) == "TEST legacy trusted comment")
        #expect(try pub.verify(sig, contentsOf: try Vectors.url("message.txt"), allowLegacy: true)
                == "TEST legacy trusted comment")
        // Allowed legacy still checks the message.
        #expect(throws: MinisignError.invalidSignature) {
            try pub.verify(sig, message: message + [0x0A], allowLegacy: true)
        }
    }

    @Test func legacyCheckComesBeforeKeyIDCheck() throws {
        // minisign's order: legacy policy first, then the key id.
        let other = SecretKey.generate().publicKey
        let sig = try Signature(fileContents: try Vectors.text("message.txt.legacy.minisig"))
        #expect(throws: MinisignError.legacySignature) { try other.verify(sig, message: []) }
    }
}
