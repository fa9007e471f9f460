import Primitives
import Sodium

/// The bundle an answer points to: its id and its signed tag manifest.
public struct HI1BundleReference: Sendable {
    /// `bundle_id` from disclosure.json (a UUID).
    public var bundleID: String
    /// The bytes of `tagmanifest-sha512.txt`, which covers every file of the bundle.
    public var tagManifest: [UInt8]
    /// Hex SHA-512 of `tagManifest`.
    public var sha512: String { Hex.encode(SHA512.hash(tagManifest)) }

    /// Names the bundle and the tag manifest that covers it.
    public init(bundleID: String, tagManifest: [UInt8]) { self.bundleID = bundleID; self.tagManifest = tagManifest }
}
