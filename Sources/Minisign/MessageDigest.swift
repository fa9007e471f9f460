import Foundation
import Sodium

/// Streaming BLAKE2b-512 of a message: the 64-byte prehash that a prehashed (`ED`)
/// minisign signature signs with plain Ed25519.
///
/// Feed chunks with `update`, then pass `finalize()` to
/// `SecretKey.sign(prehash:trustedComment:untrustedComment:)` or
/// `PublicKey.verify(_:prehash:)`. Non-copyable, so a finished digest cannot be reused.
public struct MessageDigest: ~Copyable {
    /// Length of the prehash in bytes.
    public static let length = 64

    private let hasher = BLAKE2b(outputLength: MessageDigest.length)

    /// Starts an empty digest.
    public init() {}

    /// Adds bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bytes) }

    /// Adds bytes.
    public mutating func update(_ bytes: [UInt8]) { hasher.update(bytes) }

    /// Finishes and returns the 64-byte prehash.
    public consuming func finalize() -> [UInt8] { hasher.finalize() }

    /// The prehash of a whole in-memory message.
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        var digest = MessageDigest()
        digest.update(message)
        return digest.finalize()
    }

    /// The prehash of a file, read in 64 KiB chunks (as minisign does).
    public static func hash(contentsOf url: URL) throws -> [UInt8] {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var digest = MessageDigest()
        while let chunk = try handle.read(upToCount: 65536), !chunk.isEmpty {
            chunk.withUnsafeBytes { digest.update($0) }
        }
        return digest.finalize()
    }
}
