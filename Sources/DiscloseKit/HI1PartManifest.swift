/// What each part of a delivery in parts says about the whole, carried as the
/// DeliveryObject's `Manifest/ExternalSchema/ManifestContents` (a short text,
/// `disclose-delivery-part/1`). With the DeliveryObject's own `SequenceNumber`,
/// `LastSequence` and part `Checksum`, it lets the receiver reassemble the parts and name
/// what is wrong: a part missing, twice, out of its place, or altered.
public struct HI1PartManifest: Sendable, Equatable {
    /// The first line of the text.
    public static let format = "disclose-delivery-part/1"
    /// How many parts the delivery has.
    public var total: Int
    /// Bytes per part (the last part holds the rest).
    public var partSize: Int
    /// Bytes of the whole (the tar of the bundle).
    public var wholeBytes: Int
    /// Hex SHA-512 of the whole.
    public var wholeSHA512: String
    /// Hex SHA-512 of the part before this one (nil for the first): the chain that makes
    /// a part out of its place detectable.
    public var previousSHA512: String?

    /// Builds a manifest.
    public init(total: Int, partSize: Int, wholeBytes: Int, wholeSHA512: String, previousSHA512: String?) {
        self.total = total; self.partSize = partSize; self.wholeBytes = wholeBytes
        self.wholeSHA512 = wholeSHA512; self.previousSHA512 = previousSHA512
    }

    /// The text: the format line, then `key: value` lines.
    public var text: String {
        "\(Self.format)\ntotal: \(total)\npart-size: \(partSize)\nwhole-bytes: \(wholeBytes)\nwhole-sha512: \(wholeSHA512)\nprevious-sha512: \(previousSHA512 ?? "none")\n"
    }

    /// Parses `text`; nil unless it is exactly the form `text` writes, with sane numbers.
    public static func parse(_ text: String) -> HI1PartManifest? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 7, lines[0] == format, lines[6].isEmpty else { return nil }
        var v: [String: String] = [:]
        for (i, key) in ["total", "part-size", "whole-bytes", "whole-sha512", "previous-sha512"].enumerated() {
            let prefix = key + ": "
            guard lines[i + 1].hasPrefix(prefix) else { return nil }
            v[key] = String(lines[i + 1].dropFirst(prefix.count))
        }
        func hex(_ s: String?) -> Bool { s.map { $0.utf8.count == 128 && $0.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) } } ?? false }
        guard let total = v["total"].flatMap({ Int($0) }), let size = v["part-size"].flatMap({ Int($0) }),
              let whole = v["whole-bytes"].flatMap({ Int($0) }), total >= 1, size >= 1, whole >= 0,
              total == max(1, whole / size + (whole % size == 0 ? 0 : 1)), hex(v["whole-sha512"]) else { return nil }
        let previous = v["previous-sha512"] == "none" ? nil : v["previous-sha512"]
        guard previous == nil || hex(previous) else { return nil }
        return HI1PartManifest(total: total, partSize: size, wholeBytes: whole, wholeSHA512: v["whole-sha512"]!, previousSHA512: previous)
    }
}
