import Foundation
import Sodium

/// A minisign signature file (`.minisig`), 4 lines:
///
/// ```
/// untrusted comment: <text, not signed>
/// base64(sig_alg ‖ key_id ‖ Ed25519 signature)          (74 bytes, 100 characters)
/// trusted comment: <text, covered by the global signature>
/// base64(Ed25519(signature ‖ trusted comment text))     (64 bytes, 88 characters)
/// ```
///
/// Parsing checks the format only. Nothing in a parsed value is authentic until
/// `PublicKey.verify` succeeds; use the trusted comment it returns.
public struct Signature: Hashable, Sendable {
    /// How the message was signed, from the `sig_alg` bytes.
    public enum Algorithm: Hashable, Sendable {
        /// `ED`: Ed25519 over BLAKE2b-512 of the message. What minisign 0.11 writes by
        /// default and the only kind this module creates.
        case prehashed
        /// `Ed`: Ed25519 over the whole message (`minisign -S -l`). Rejected by
        /// verification unless explicitly allowed.
        case legacy

        var bytes: [UInt8] {
            switch self {
            case .prehashed: return Array("ED".utf8)
            case .legacy: return Array("Ed".utf8)
            }
        }
    }

    /// The untrusted comment minisign 0.11 writes by default.
    public static let defaultUntrustedComment = "signature from minisign secret key"
    /// Longest untrusted comment, in UTF-8 bytes, whose line minisign 0.11 still reads.
    public static let maximumUntrustedCommentLength = Framing.maxUntrustedComment
    /// Longest trusted comment, in UTF-8 bytes, that minisign 0.11 writes and reads.
    public static let maximumTrustedCommentLength = Framing.maxTrustedComment

    static let blobLength = 2 + KeyID.length + Ed25519.signatureLength
    static let maxSignatureLine = Framing.base64Length(blobLength) + 2
    static let maxGlobalLine = Framing.base64Length(Ed25519.signatureLength) + 2
    static let maxFileLength = Framing.maxUntrustedLine + maxSignatureLine + Framing.maxTrustedLine + maxGlobalLine

    /// Prehashed or legacy.
    public let algorithm: Algorithm
    /// Id of the key that made the signature.
    public let keyID: KeyID
    /// The 64-byte Ed25519 signature of the message (or of its prehash).
    public let ed25519Signature: [UInt8]
    /// The 64-byte Ed25519 signature of `ed25519Signature` ‖ trusted comment.
    public let globalSignature: [UInt8]
    private let untrustedCommentBytes: [UInt8]
    private let trustedCommentBytes: [UInt8]

    /// The untrusted comment text (after `untrusted comment: `). Not signed.
    public var untrustedComment: String { String(decoding: untrustedCommentBytes, as: UTF8.self) }

    /// The trusted comment text (after `trusted comment: `), **unverified**: prefer the
    /// value `PublicKey.verify` returns.
    public var trustedComment: String { String(decoding: trustedCommentBytes, as: UTF8.self) }

    init(algorithm: Algorithm, keyID: KeyID, ed25519Signature: [UInt8], globalSignature: [UInt8],
         untrustedComment: [UInt8], trustedComment: [UInt8]) {
        self.algorithm = algorithm
        self.keyID = keyID
        self.ed25519Signature = ed25519Signature
        self.globalSignature = globalSignature
        self.untrustedCommentBytes = untrustedComment
        self.trustedCommentBytes = trustedComment
    }

    /// Parses `.minisig` contents with minisign 0.11's limits: the untrusted comment
    /// line fits in 1023 bytes and the trusted comment line in 8191 (both counting the
    /// prefix and line ending), base64 is padded and canonical, `sig_alg` is `ED` or
    /// `Ed`. CRLF is accepted, the final newline is optional, nothing may follow
    /// line 4, and comments must be valid UTF-8 without NUL.
    public init<Bytes: Collection>(fileContents: Bytes) throws where Bytes.Element == UInt8 {
        guard fileContents.count <= Self.maxFileLength else {
            throw MinisignError.malformed("signature file is larger than any valid one")
        }
        var reader = LineReader(Array(fileContents))
        let line1 = try reader.next(maxLength: Framing.maxUntrustedLine, isLast: false, what: "untrusted comment line")
        guard line1.starts(with: Framing.untrustedPrefix) else {
            throw MinisignError.malformed("untrusted comment line must start with \"untrusted comment: \"")
        }
        let line2 = try reader.next(maxLength: Self.maxSignatureLine, isLast: false, what: "signature line")
        let line3 = try reader.next(maxLength: Framing.maxTrustedLine, isLast: false, what: "trusted comment line")
        guard line3.starts(with: Framing.trustedPrefix) else {
            throw MinisignError.malformed("trusted comment line must start with \"trusted comment: \"")
        }
        let line4 = try reader.next(maxLength: Self.maxGlobalLine, isLast: true, what: "global signature line")
        try reader.expectEnd(after: "the global signature line")

        let untrusted = Array(line1.dropFirst(Framing.untrustedPrefix.count))
        let trusted = Array(line3.dropFirst(Framing.trustedPrefix.count))
        _ = try Framing.text(untrusted, what: "untrusted comment")
        _ = try Framing.text(trusted, what: "trusted comment")

        let blob = try Framing.decode(line2, length: Self.blobLength, what: "signature")
        let algorithm: Algorithm
        switch Array(blob[0..<2]) {
        case Algorithm.prehashed.bytes: algorithm = .prehashed
        case Algorithm.legacy.bytes: algorithm = .legacy
        default: throw MinisignError.malformed("unsupported signature algorithm (expected \"ED\" or \"Ed\")")
        }
        let global = try Framing.decode(line4, length: Ed25519.signatureLength, what: "global signature")
        self.init(algorithm: algorithm, keyID: try KeyID(bytes: Array(blob[2..<10])),
                  ed25519Signature: Array(blob[10...]), globalSignature: global,
                  untrustedComment: untrusted, trustedComment: trusted)
    }

    /// Parses `.minisig` contents given as text; see `init(fileContents:)` for bytes.
    public init(fileContents: String) throws {
        try self.init(fileContents: Array(fileContents.utf8))
    }

    /// The `.minisig` text, byte for byte as minisign 0.11 writes it (LF endings,
    /// final LF included).
    public var fileContents: String {
        let blob = algorithm.bytes + keyID.bytes + ed25519Signature
        return "untrusted comment: " + untrustedComment + "\n"
            + Base64.padded.encode(blob) + "\n"
            + "trusted comment: " + trustedComment + "\n"
            + Base64.padded.encode(globalSignature) + "\n"
    }

    /// The trusted comment minisign 0.11 writes by default for a prehashed signature:
    /// `timestamp:<unix seconds>\tfile:<basename>\thashed`. `fileName` may be a path;
    /// only the part after the last `/` is used, as minisign does.
    public static func defaultTrustedComment(fileName: String, timestamp: Date = Date()) -> String {
        let base = fileName.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? fileName
        let seconds = UInt64(max(0, timestamp.timeIntervalSince1970.rounded(.down)))
        return "timestamp:\(seconds)\tfile:\(base)\thashed"
    }

    /// Bytes covered by the global signature: signature ‖ trusted comment text.
    var globalSignedBytes: [UInt8] { ed25519Signature + trustedCommentBytes }
}

extension Signature: CustomStringConvertible {
    /// A short summary: algorithm, key id and the (unverified) trusted comment.
    public var description: String {
        "Signature(\(algorithm == .prehashed ? "ED" : "Ed"), key id \(keyID), trusted comment: \(trustedComment.debugDescription))"
    }
}
