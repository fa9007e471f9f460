import Primitives
import Foundation
import Sodium

/// The on-disk format of a dataset file.
public enum DataFormat: String, Sendable, Codable, CaseIterable {
    /// JSON Lines: one JSON object per line.
    case jsonl
    /// RFC 4180 CSV with a header row.
    case csv
    /// One top-level JSON array of objects.
    case json
}

/// One step of a field path: an object key, or "every element" of an array (`[]`).
public enum PathComponent: Hashable, Sendable {
    /// An object member by its decoded key.
    case key(String)
    /// Every element of an array.
    case each
}

/// A field's address inside a record: dotted keys for nested objects, `[]` for arrays,
/// e.g. `profile.name`, `to[]`, `attachments[].filename`. CSV columns are one key.
public struct FieldPath: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The steps from the record root.
    public var components: [PathComponent]

    /// Builds a path from its steps.
    public init(_ components: [PathComponent]) { self.components = components }

    /// Parses the text form (`a.b[].c`). Returns nil for empty segments or stray brackets.
    public init?(parsing text: String) {
        var comps: [PathComponent] = []
        for segment in text.split(separator: ".", omittingEmptySubsequences: false) {
            var s = Substring(segment)
            var eaches = 0
            while s.hasSuffix("[]") { s = s.dropLast(2); eaches += 1 }
            guard !s.isEmpty, !s.contains("["), !s.contains("]") else { return nil }
            comps.append(.key(String(s)))
            for _ in 0..<eaches { comps.append(.each) }
        }
        guard !comps.isEmpty else { return nil }
        components = comps
    }

    /// The text form, as written in the data map.
    public var description: String {
        var out = ""
        for c in components {
            switch c {
            case .key(let k): if !out.isEmpty { out += "." }; out += k
            case .each: out += "[]"
            }
        }
        return out
    }

    public static func < (a: FieldPath, b: FieldPath) -> Bool { a.description < b.description }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let p = FieldPath(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid field path '\(text)'"))
        }
        self = p
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// What happens to one field's values on the way out.
public enum FieldAction: String, Hashable, Sendable, Codable, CaseIterable {
    /// The value leaves unchanged, byte for byte.
    case disclose
    /// The value is replaced by a keyed, case-consistent pseudonym.
    case pseudonymize
    /// The value is replaced by a masked form that keeps only its shape.
    case mask
    /// An IP address is cut to its /24 (IPv4) or /48 (IPv6) network.
    case ipPrefix = "ip_prefix"
    /// The field is removed from the output.
    case withhold
}

/// Everything the streaming engine needs to scope one dataset: which records (accounts,
/// window) and, per field, which action. Built by the decision code from the request,
/// the policy and the data map; the engine itself decides nothing.
public struct DatasetScope: Sendable {
    /// Dataset name from the data map.
    public var name: String
    /// File format.
    public var format: DataFormat
    /// Files to read, in order.
    public var files: [URL]
    /// Field holding the account id.
    public var accountField: FieldPath
    /// Field holding the record time, if the dataset is time-stamped.
    public var timeField: FieldPath?
    /// Format of the time field.
    public var timeFormat: TimeFormat
    /// Inclusive window; records outside are not disclosed. Nil: no window applies.
    public var window: ClosedRange<Instant>?
    /// Decoded account ids of the resolved subjects.
    public var accounts: Set<String>
    /// Action per mapped field path. A path in a record that is not here is withheld
    /// and counted as unmapped.
    public var actions: [FieldPath: FieldAction]
    /// Key for pseudonyms (derived per case); never written anywhere.
    public var pseudonymKey: SecretBytes?
    /// Threads that scan the files (`ScanJobs`); never changes an output byte.
    public var jobs: Int = ScanJobs.processDefault
    /// Files larger than this are cut into segments of about this size for parallel
    /// scanning (small in tests, so that many cuts happen).
    public var segmentBytes: Int = 16 << 20

    /// Memberwise initializer.
    public init(name: String, format: DataFormat, files: [URL], accountField: FieldPath, timeField: FieldPath?,
                timeFormat: TimeFormat, window: ClosedRange<Instant>?, accounts: Set<String>,
                actions: [FieldPath: FieldAction], pseudonymKey: SecretBytes?) {
        self.name = name; self.format = format; self.files = files; self.accountField = accountField
        self.timeField = timeField; self.timeFormat = timeFormat; self.window = window
        self.accounts = accounts; self.actions = actions; self.pseudonymKey = pseudonymKey
    }
}

/// Counts from scoping one dataset; they go into the plan and the disclosure record.
public struct DatasetStatistics: Sendable, Equatable, Codable {
    /// Records read and checked for well-formedness.
    public var recordsScanned = 0
    /// Records whose account is one of the subjects'.
    public var recordsForSubjects = 0
    /// Subject records inside the window (or all of them when no window applies): the ones disclosed.
    public var recordsDisclosed = 0
    /// Subject records outside the window.
    public var recordsOutsideWindow = 0
    /// Subject records withheld because their time was missing or unparseable.
    public var recordsWithUnparseableTime = 0
    /// Per mapped field path: how many values each action was applied to (disclosed records only).
    public var fieldActions: [String: [String: Int]] = [:]
    /// Per field path the data map does not know: how many values were withheld.
    public var unmappedFields: [String: Int] = [:]
    /// Bytes of scoped output.
    public var outputBytes = 0
    /// Records that have no account id (field absent or `null`, or an empty CSV cell):
    /// they belong to no subject and are never disclosed.
    public var recordsWithoutAccount = 0
    /// Per mapped field path under `ip_prefix`: values that were not an IP address and
    /// were therefore withheld (also counted as `withhold` in `fieldActions`).
    public var valuesNotIPAddress: [String: Int] = [:]
    /// Per data-map path: values that were an empty array or object in the input, whose
    /// member paths are mapped (`attachments` of `attachments[]`), kept in the output as
    /// `[]` / `{}` so that "none" reads differently from "withheld".
    public var emptyContainers: [String: Int] = [:]

    /// Empty statistics.
    public init() {}
}


extension DatasetStatistics {
    private enum CodingKeys: String, CodingKey {
        case recordsScanned, recordsForSubjects, recordsDisclosed, recordsOutsideWindow, recordsWithUnparseableTime
        case fieldActions, unmappedFields, outputBytes, recordsWithoutAccount, valuesNotIPAddress, emptyContainers
    }

    /// Decodes statistics; the counters added later (`recordsWithoutAccount`,
    /// `valuesNotIPAddress`, `emptyContainers`) may be absent in documents written before them.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        recordsScanned = try c.decode(Int.self, forKey: .recordsScanned)
        recordsForSubjects = try c.decode(Int.self, forKey: .recordsForSubjects)
        recordsDisclosed = try c.decode(Int.self, forKey: .recordsDisclosed)
        recordsOutsideWindow = try c.decode(Int.self, forKey: .recordsOutsideWindow)
        recordsWithUnparseableTime = try c.decode(Int.self, forKey: .recordsWithUnparseableTime)
        fieldActions = try c.decode([String: [String: Int]].self, forKey: .fieldActions)
        unmappedFields = try c.decode([String: Int].self, forKey: .unmappedFields)
        outputBytes = try c.decode(Int.self, forKey: .outputBytes)
        recordsWithoutAccount = try c.decodeIfPresent(Int.self, forKey: .recordsWithoutAccount) ?? 0
        valuesNotIPAddress = try c.decodeIfPresent([String: Int].self, forKey: .valuesNotIPAddress) ?? [:]
        emptyContainers = try c.decodeIfPresent([String: Int].self, forKey: .emptyContainers) ?? [:]
    }
}
