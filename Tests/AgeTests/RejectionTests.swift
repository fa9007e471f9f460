import Foundation
import Testing
@testable import Age
import Sodium

/// One test per rejection rule (formats.md §1.8), on files the tests build themselves.
/// Each file carries exactly one violation; a shared check asserts the category and
/// that no unauthenticated plaintext was released.
@Suite("Rejection rules")
struct RejectionTests {
    let identity = Identity.generate()

    /// A valid binary file with `size` plaintext bytes.
    func validFile(_ size: Int = 1000) throws -> (file: [UInt8], plaintext: [UInt8]) {
        let plaintext = Support.bytes(size, seed: UInt64(size) + 3)
        return (try Encryptor.encrypt(plaintext, to: [identity.recipient]), plaintext)
    }

    /// Asserts the outcome category and exactly which plaintext was released.
    func expect(_ file: [UInt8], _ category: String, released expected: [UInt8] = [],
                format: Decryptor.InputFormat = .detect, sourceLocation: SourceLocation = #_sourceLocation) {
        let (released, error) = Support.decrypt(file, [identity], format: format)
        #expect(Support.category(error) == category, "got \(String(describing: error))", sourceLocation: sourceLocation)
        let same = released == expected
        #expect(same, "released \(released.count) bytes, expected \(expected.count)", sourceLocation: sourceLocation)
    }

    /// Rebuilds a file whose header text is edited by `edit` (payload kept).
    func editHeader(_ file: [UInt8], _ edit: (String) -> String) -> [UInt8] {
        let h = Support.headerLength(file)
        return Array(edit(String(decoding: file[..<h], as: UTF8.self)).utf8) + file[h...]
    }

    // MARK: Header

    @Test func validFileDecrypts() throws {
        let (file, plaintext) = try validFile()
        expect(file, "success", released: plaintext)
    }

    @Test func emptyInputIsHeaderFailure() { expect([], "header failure") }

    @Test func wrongVersionLine() throws {
        let (file, _) = try validFile()
        expect(Support.replacing("age-encryption.org/v1\n", with: "age-encryption.org/v2\n", in: file), "header failure")
    }

    @Test func crlfInHeader() throws {
        let (file, _) = try validFile()
        expect(editHeader(file) { $0.replacingOccurrences(of: "\n", with: "\r\n") }, "header failure")
    }

    @Test func stanzaWithoutArguments() throws {
        let (file, _) = try validFile()
        expect(Support.replacing("-> X25519 ", with: "->\n-> X25519 ", in: file), "header failure")
    }

    @Test func stanzaEmptyArgument() throws {
        let (file, _) = try validFile()
        expect(Support.replacing("-> X25519 ", with: "-> X25519  ", in: file), "header failure")
    }

    @Test func stanzaBadPrefix() throws {
        let (file, _) = try validFile()
        expect(Support.replacing("-> X25519 ", with: "->X25519 ", in: file), "header failure")
    }

    @Test func stanzaArgumentOutsidePrintableASCII() throws {
        let (file, _) = try validFile()
        expect(Support.replacing("-> X25519 ", with: "-> grease\u{7F} x\n\n-> X25519 ", in: file), "header failure")
    }

    @Test func unknownStanzaIsSkipped() throws {
        let fileKeyBody = Support.bytes(48)
        let file = try Support.craft(for: identity, extraStanzas: [Stanza(type: "grease", arguments: ["a", "b"], body: fileKeyBody)],
                                     chunks: [(Array("hi".utf8), true)])
        // A 48-byte body is one full 64-column line followed by an empty line.
        #expect(String(decoding: file, as: UTF8.self).contains("\n\n-> X25519 "))
        expect(file, "success", released: Array("hi".utf8))
    }

    @Test func bodyOfExactly64ColumnsNeedsTrailingShortLine() throws {
        let file = try Support.craft(for: identity, extraStanzas: [Stanza(type: "grease", arguments: [], body: Support.bytes(48))],
                                     chunks: [(Array("hi".utf8), true)])
        expect(Support.replacing("\n\n-> X25519 ", with: "\n-> X25519 ", in: file), "header failure")
    }

    @Test func bodyLineLongerThan64Columns() throws {
        let file = try Support.craft(for: identity, extraStanzas: [Stanza(type: "grease", arguments: [], body: Support.bytes(51))],
                                     chunks: [(Array("hi".utf8), true)])
        // Join the 64-column line and the 4-column tail into one 68-column line.
        let h = Support.headerLength(file)
        var lines = String(decoding: file[..<h], as: UTF8.self).components(separatedBy: "\n")
        let i = lines.firstIndex { $0.count == 64 }!
        lines[i] += lines[i + 1]
        lines.remove(at: i + 1)
        expect(Array(lines.joined(separator: "\n").utf8) + file[h...], "header failure")
    }

    @Test func secondShortBodyLineIsNotAContinuation() throws {
        let (file, _) = try validFile()
        let h = Support.headerLength(file)
        var lines = String(decoding: file[..<h], as: UTF8.self).components(separatedBy: "\n")
        lines.insert("AAAA", at: 3) // after the 43-column body line
        expect(Array(lines.joined(separator: "\n").utf8) + file[h...], "header failure")
    }

    @Test func bodyWithPaddingCharacter() throws {
        let file = try Support.craft(for: identity, extraStanzas: [Stanza(type: "grease", arguments: [], body: [1])],
                                     chunks: [(Array("hi".utf8), true)])
        expect(Support.replacing("-> grease\nAQ\n", with: "-> grease\nAQ==\n", in: file), "header failure")
    }

    @Test func nonCanonicalShareBase64() throws {
        let (file, _) = try validFile()
        let h = Support.headerLength(file)
        var lines = String(decoding: file[..<h], as: UTF8.self).components(separatedBy: "\n")
        // The 43rd character encodes 4 bits + 2 unused bits; setting an unused bit makes it non-canonical.
        var share = Array(lines[1].utf8)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let v = alphabet.firstIndex(of: share[share.count - 1])!
        share[share.count - 1] = alphabet[v ^ 1]
        lines[1] = String(decoding: share, as: UTF8.self)
        expect(Array(lines.joined(separator: "\n").utf8) + file[h...], "header failure")
    }

    @Test func lowOrderShare() throws {
        let (file, _) = try validFile()
        let h = Support.headerLength(file)
        var lines = String(decoding: file[..<h], as: UTF8.self).components(separatedBy: "\n")
        lines[1] = "-> X25519 " + Base64.unpadded.encode([UInt8](repeating: 0, count: 32))
        expect(Array(lines.joined(separator: "\n").utf8) + file[h...], "header failure")
    }

    @Test func shareOfWrongLength() throws {
        let (file, _) = try validFile()
        let h = Support.headerLength(file)
        var lines = String(decoding: file[..<h], as: UTF8.self).components(separatedBy: "\n")
        lines[1] = "-> X25519 " + Base64.unpadded.encode(Support.bytes(33))
        expect(Array(lines.joined(separator: "\n").utf8) + file[h...], "header failure")
    }

    @Test func x25519ExtraArgument() throws {
        let (file, _) = try validFile()
        let h = Support.headerLength(file)
        var lines = String(decoding: file[..<h], as: UTF8.self).components(separatedBy: "\n")
        lines[1] += " extra"
        expect(Array(lines.joined(separator: "\n").utf8) + file[h...], "header failure")
    }

    @Test func x25519BodyOfWrongLength() throws {
        let (file, _) = try validFile()
        let h = Support.headerLength(file)
        var lines = String(decoding: file[..<h], as: UTF8.self).components(separatedBy: "\n")
        lines[2] = Base64.unpadded.encode(Support.bytes(48)) + "\n" // 64 columns, then the required empty line
        expect(Array(lines.joined(separator: "\n").utf8) + file[h...], "header failure")
    }

    @Test func missingMACLine() throws {
        let (file, _) = try validFile()
        let h = Support.headerLength(file)
        expect(Array(file[..<(h - 48)]), "header failure")
    }

    @Test(arguments: ["---", "---  ", "---\t", "---x"])
    func malformedMACLinePrefix(_ prefix: String) throws {
        let (file, _) = try validFile()
        expect(Support.replacing("\n--- ", with: "\n" + prefix, in: file), "header failure")
    }

    @Test func macTrailingSpace() throws {
        let (file, _) = try validFile()
        let h = Support.headerLength(file)
        expect(Array(file[..<(h - 1)]) + Array(" \n".utf8) + file[h...], "header failure")
    }

    @Test func badMACIsHMACFailure() throws {
        let (file, _) = try validFile()
        let h = Support.headerLength(file)
        let mac = Array(Base64.unpadded.encode(Support.bytes(32, seed: 5)).utf8)
        expect(Array(file[..<(h - 44)]) + mac + [0x0A] + file[h...], "HMAC failure")
    }

    @Test func wrongIdentityIsNoMatch() throws {
        let (file, _) = try validFile()
        let (released, error) = Support.decrypt(file, [Identity.generate(), Identity.generate()])
        #expect(Support.category(error) == "no match")
        #expect(released.isEmpty)
    }

    @Test func scryptStanzaIsUnsupported() throws {
        let file = try Support.craft(for: identity, extraStanzas: [Stanza(type: "scrypt", arguments: ["c2FsdHNhbHRzYWx0c2FsdA", "18"], body: Support.bytes(32))],
                                     chunks: [(Array("hi".utf8), true)])
        let (released, error) = Support.decrypt(file, [identity])
        #expect(error == .unsupported("passphrase-encrypted file, not supported"))
        #expect(released.isEmpty)
    }

    @Test func missingNonce() throws {
        let (file, _) = try validFile()
        expect(Array(file[..<Support.headerLength(file)]), "header failure")
    }

    @Test func shortNonce() throws {
        let (file, _) = try validFile()
        expect(Array(file[..<(Support.headerLength(file) + 15)]), "header failure")
    }

    // MARK: Payload

    @Test func noChunksAtAll() throws {
        let (file, _) = try validFile()
        expect(Array(file[..<(Support.headerLength(file) + 16)]), "payload failure")
    }

    @Test func chunkShorterThanTag() throws {
        let (file, _) = try validFile()
        expect(Array(file[..<(Support.headerLength(file) + 16 + 10)]), "payload failure")
    }

    @Test func badTagReleasesNothingOfThatChunk() throws {
        var (file, _) = try validFile(1000)
        file[file.count - 1] ^= 0x80
        expect(file, "payload failure")
    }

    @Test func badTagInSecondChunkReleasesOnlyTheFirst() throws {
        var (file, plaintext) = try validFile(70000)
        file[file.count - 20] ^= 1
        expect(file, "payload failure", released: Array(plaintext[..<65536]))
    }

    @Test func truncatedByOneByte() throws {
        let (file, _) = try validFile(1000)
        expect(Array(file.dropLast()), "payload failure")
    }

    @Test func truncatedAtChunkBoundary() throws {
        // Two full chunks, second final; cut after the first: it verifies but no final chunk follows.
        let (file, plaintext) = try validFile(131072)
        expect(Array(file.dropLast(65552)), "payload failure", released: Array(plaintext[..<65536]))
    }

    @Test func trailingDataAfterFullFinalChunk() throws {
        let (file, plaintext) = try validFile(65536)
        let (released, error) = Support.decrypt(file + [0], [identity])
        #expect(error == .payloadFailure("trailing data after the final chunk"))
        #expect(released == plaintext) // the final chunk verified, then the extra byte is rejected
    }

    @Test func trailingDataAfterShortFinalChunk() throws {
        let (file, _) = try validFile(1000)
        expect(file + [1, 2, 3], "payload failure") // the short chunk's tag no longer matches
    }

    @Test func emptyFinalChunkAfterFullChunk() throws {
        let first = Support.bytes(65536)
        let file = try Support.craft(for: identity, chunks: [(first, false), ([], true)])
        let (released, error) = Support.decrypt(file, [identity])
        #expect(error == .payloadFailure("final chunk 1 is empty"))
        #expect(released == first)
    }

    @Test func emptyFileHasOneEmptyFinalChunk() throws {
        let (file, _) = try validFile(0)
        #expect(file.count == Support.binarySize(plaintext: 0, recipients: 1))
        expect(file, "success")
    }

    @Test func twoFinalChunks() throws {
        let a = Support.bytes(65536), b = Support.bytes(10)
        let file = try Support.craft(for: identity, chunks: [(a, true), (b, true)])
        expect(file, "payload failure", released: a)
    }

    @Test func missingFinalFlag() throws {
        let a = Support.bytes(65536)
        let file = try Support.craft(for: identity, chunks: [(a, false)])
        expect(file, "payload failure", released: a)
    }

    @Test func shortNonFinalChunk() throws {
        let file = try Support.craft(for: identity, chunks: [(Support.bytes(100), false)])
        expect(file, "payload failure")
    }

    @Test func chunkCounterUsesBigEndianAcrossByteBoundary() throws {
        // 257 chunks: counter 256 carries into the second-lowest nonce byte.
        var chunks: [(plaintext: [UInt8], final: Bool)] = []
        for i in 0..<257 {
            let count = i == 256 ? 7 : 65536
            chunks.append((plaintext: [UInt8](repeating: UInt8(i & 0xFF), count: count), final: i == 256))
        }
        let file = try Support.craft(for: identity, chunks: chunks)
        let (released, error) = Support.decrypt(file, [identity])
        #expect(error == nil)
        #expect(released.count == 256 * 65536 + 7)
        #expect(released.last == 0)
    }

    // MARK: Armor

    func armored(_ size: Int = 1000) throws -> (file: [UInt8], plaintext: [UInt8]) {
        let plaintext = Support.bytes(size, seed: 77)
        return (try Encryptor.encrypt(plaintext, to: [identity.recipient], armored: true), plaintext)
    }

    func lines(_ file: [UInt8]) -> [String] { String(decoding: file, as: UTF8.self).components(separatedBy: "\n") }
    func join(_ lines: [String]) -> [UInt8] { Array(lines.joined(separator: "\n").utf8) }

    @Test func armorRoundTripAndCRLF() throws {
        let (file, plaintext) = try armored()
        expect(file, "success", released: plaintext)
        expect(Array(String(decoding: file, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8), "success", released: plaintext)
    }

    @Test func armorLowercaseLabel() throws {
        let (file, _) = try armored()
        expect(Support.replacing("BEGIN AGE ENCRYPTED FILE", with: "begin age encrypted file", in: file), "armor failure", format: .armored)
    }

    @Test func armorLineOf65Columns() throws {
        let (file, _) = try armored()
        var l = lines(file)
        l[1] += String(l[2].removeFirst())
        expect(join(l), "armor failure")
    }

    @Test func armorShortLineInTheMiddle() throws {
        let (file, _) = try armored()
        var l = lines(file)
        let moved = String(l[1].suffix(4))
        l[1] = String(l[1].dropLast(4))
        l[2] = moved + l[2]  // line 2 becomes 68 columns... so split it differently:
        l[2] = String(l[2].prefix(64))
        expect(join(l), "armor failure")
    }

    @Test func armorEmptyLineBeforeEnd() throws {
        let (file, _) = try armored()
        expect(Support.replacing("\n-----END", with: "\n\n-----END", in: file), "armor failure")
    }

    @Test func armorTrailingSpaceOnDataLine() throws {
        let (file, _) = try armored()
        var l = lines(file)
        l[1] += " "
        expect(join(l), "armor failure")
    }

    @Test func armorMissingEndLine() throws {
        let (file, _) = try armored()
        expect(Support.replacing("-----END AGE ENCRYPTED FILE-----\n", with: "", in: file), "armor failure")
    }

    @Test func armorGarbageAfterEnd() throws {
        let (file, _) = try armored()
        expect(file + Array("garbage\n".utf8), "armor failure")
    }

    @Test func armorWhitespaceAroundIsAllowed() throws {
        let (file, plaintext) = try armored()
        expect(Array("\n \t\r\n".utf8) + file + Array("\n\n  \n".utf8), "success", released: plaintext)
    }

    @Test func armorNonCanonicalPadding() throws {
        // 1000-byte plaintext: find a last line ending in "==" and set an unused bit.
        for size in 1000..<1003 {
            let (file, _) = try armored(size)
            var l = lines(file)
            let last = l.count - 3
            guard l[last].hasSuffix("==") else { continue }
            var chars = Array(l[last].utf8)
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
            let i = chars.count - 3
            chars[i] = alphabet[alphabet.firstIndex(of: chars[i])! ^ 1]
            l[last] = String(decoding: chars, as: UTF8.self)
            expect(join(l), "armor failure")
            return
        }
        Issue.record("no padded last line found")
    }

    @Test func armorFullLastLineHasNoEmptyLineBeforeEnd() throws {
        // Binary length multiple of 48: header 168 + 16 + n + 16 = 48k → n = 48*5 - 200 + ... pick n = 40.
        let plaintext = Support.bytes(40)
        let file = try Encryptor.encrypt(plaintext, to: [identity.recipient], armored: true)
        let l = lines(file)
        let binaryLength: Int = 168 + 16 + 40 + 16
        #expect(binaryLength % 48 == 0)
        let lastData: String = l[l.count - 3], endLine: String = l[l.count - 2]
        #expect(lastData.count == 64)
        #expect(endLine == "-----END AGE ENCRYPTED FILE-----")
        #expect(l.last == "")
        expect(file, "success", released: plaintext)
    }
}
