import Foundation

/// Random (version 4) UUIDs for bundle ids.
enum UUIDv4 {
    static func make() -> String { UUID().uuidString.lowercased() }
}

/// Identification of this tool in bundles.
public enum ToolVersion {
    /// Version string.
    public static let version = "0.1.0"
    /// `Bag-Software-Agent` value.
    public static let agent = "disclose \(version)"
}
