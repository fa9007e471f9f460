import Testing
@testable import Sodium

@Suite("Sodium wrapper: known answers and strictness")
struct PrimitiveTests {
    @Test("HKDF-SHA-256 matches RFC 5869 test case 1 (first 32 bytes)")
    func hkdfCase1() {
        let ikm = SecretBytes(copying: [UInt8](repeating: 0x0b, count: 22))
        let okm = HKDF.sha256(ikm: ikm, salt: Hex.decode("000102030405060708090a0b0c")!, info: Hex.decode("f0f1f2f3f4f5f6f7f8f9")!)
        #expect(Hex.encode(okm.copyBytes()) == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf")
    }

    @Test("HKDF-SHA-256 matches RFC 5869 test case 3 (empty salt and info)")
    func hkdfCase3() {
        let ikm = SecretBytes(copying: [UInt8](repeating: 0x0b, count: 22))
        let okm = HKDF.sha256(ikm: ikm, salt: [], info: [])
        #expect(Hex.encode(okm.copyBytes()) == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d")
    }

    @Test("SHA-512, SHA-256 and BLAKE2b-512 of 'abc' are the published values; streaming equals one-shot")
    func digests() {
        let abc = Array("abc".utf8)
        #expect(Hex.encode(SHA512.hash(abc)).hasPrefix("ddaf35a193617aba"))
        #expect(Hex.encode(SHA256.hash(abc)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hex.encode(BLAKE2b.hash(abc)).hasPrefix("ba80a53f981c4d0d"))
        var s = SHA512(); s.update(Array("a".utf8)); s.update(Array("bc".utf8))
        #expect(s.finalize() == SHA512.hash(abc))
        let b = BLAKE2b(); b.update(Array("ab".utf8)); b.update(Array("c".utf8))
        #expect(b.finalize() == BLAKE2b.hash(abc))
    }

    @Test("base64 rejects padding errors, whitespace and non-canonical trailing bits")
    func base64Strict() {
        #expect(Base64.padded.decode("YWJj") == Array("abc".utf8))
        #expect(Base64.unpadded.decode("YWI") == Array("ab".utf8))
        #expect(Base64.padded.decode("YWI") == nil)          // missing padding
        #expect(Base64.unpadded.decode("YWI=") == nil)       // padding where none belongs
        #expect(Base64.unpadded.decode("YWJ") == nil)        // non-zero trailing bits
        #expect(Base64.padded.decode("YW Jj") == nil)        // whitespace
        #expect(Base64.padded.decode("YWJj\n") == nil)       // newline
        #expect(Base64.unpadded.decode("") == [])
        #expect(Base64.padded.encode(Array("ab".utf8)) == "YWI=")
    }

    @Test("X25519 refuses low-order points (all-zero shared secret)")
    func lowOrder() {
        let s = SecretBytes.random(count: 32)
        #expect(throws: CryptoError.lowOrderPoint) { try X25519.sharedSecret(secret: s, point: [UInt8](repeating: 0, count: 32)) }
        var one = [UInt8](repeating: 0, count: 32); one[0] = 1
        #expect(throws: CryptoError.lowOrderPoint) { try X25519.sharedSecret(secret: s, point: one) }
    }

    @Test("ChaCha20-Poly1305 round-trips and rejects a flipped bit")
    func aead() throws {
        let key = SecretBytes.random(count: 32)
        let nonce = [UInt8](repeating: 0, count: 12)
        var sealed = ChaCha20Poly1305.seal(key: key, nonce: nonce, plaintext: Array("secret".utf8))
        #expect(try ChaCha20Poly1305.open(key: key, nonce: nonce, ciphertext: sealed).copyBytes() == Array("secret".utf8))
        sealed[0] ^= 1
        #expect(throws: CryptoError.authenticationFailed) { try ChaCha20Poly1305.open(key: key, nonce: nonce, ciphertext: sealed) }
    }

    @Test("Ed25519 signatures verify and are deterministic")
    func ed25519() throws {
        let (pk, sk) = Ed25519.generateKeyPair()
        let m = Array("plan".utf8)
        let s1 = try Ed25519.sign(m, secretKey: sk), s2 = try Ed25519.sign(m, secretKey: sk)
        #expect(s1 == s2)
        #expect(Ed25519.verify(s1, message: m, publicKey: pk))
        #expect(!Ed25519.verify(s1, message: Array("plan!".utf8), publicKey: pk))
        #expect(try Ed25519.publicKey(secretKey: sk) == pk)
    }

    @Test("constant-time comparison and wiping")
    func memory() {
        #expect(Memory.constantTimeEquals([1, 2, 3] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(!Memory.constantTimeEquals([1, 2, 3] as [UInt8], [1, 2, 4] as [UInt8]))
        #expect(!Memory.constantTimeEquals([1, 2] as [UInt8], [1, 2, 3] as [UInt8]))
        var secret: [UInt8] = [9, 9, 9]
        Memory.wipe(&secret)
        #expect(secret == [0, 0, 0])
        #expect(SecretBytes(copying: [1, 2]).constantTimeEquals(SecretBytes(copying: [1, 2])))
    }
}

/// SipHash-2-4 (`crypto_shorthash`) against the reference vectors of the SipHash paper
/// (key 00 01 … 0f, messages of 0 and 1 bytes), and per-process keying.
struct ShortHashTests {
    @Test func referenceVectors() {
        let h = ShortHash(key: Array(0..<16))
        #expect(h.hash([]) == 0x726f_db47_dd0e_0e31)
        #expect(h.hash([0]) == 0x74f8_39c5_93dc_67fd)
    }

    @Test func processKeyIsRandomAndStable() {
        let data: [UInt8] = Array("a key".utf8)
        #expect(ShortHash.process.hash(data) == ShortHash.process.hash(data))
        #expect(ShortHash().hash(data) != ShortHash().hash(data))
    }
}
