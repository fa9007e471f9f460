import Primitives
import Foundation

/// The kind of a subject identifier, which decides how values are normalized before
/// they are compared.
public enum IdentifierKind: String, Codable, Sendable, CaseIterable {
    /// Email address: trimmed, compared with ASCII letters folded to lower case and every
    /// other byte exact (no Unicode case mapping, no normalization: `\u{212A}ate@…` with
    /// KELVIN SIGN is not `kate@…`; see `LookAlike`).
    case email
    /// Phone number: spaces, dashes, dots and parentheses removed, a leading `+` kept
    /// (E.164 as written, no country code inferred).
    case phone
    /// IPv4 address, compared as an address.
    case ipv4
    /// IPv6 address, compared as an address (`2001:db8::1` == `2001:0db8:0:0:0:0:0:1`).
    case ipv6
    /// The account id itself, compared exactly (after JSON unescaping).
    case accountID = "account_id"

    /// Whether records must also match the subject's time (IP addresses are reassigned).
    public var isIPAddress: Bool { self == .ipv4 || self == .ipv6 }

    /// The normalized form of `text`, or nil when it is not a value of this kind. IP
    /// addresses come back in canonical text (`IPAddress.description`).
    public func normalize(_ text: String) -> String? {
        var t = text
        return t.withUTF8 { b -> String? in
            switch self {
            case .ipv4, .ipv6:
                guard let ip = IPAddress(bytes: UnsafeRawBufferPointer(b)) else { return nil }
                return ip.description
            default:
                guard let n = normalizedBytes(UnsafeRawBufferPointer(b)) else { return nil }
                return String(decoding: n, as: UTF8.self)
            }
        }
    }

    /// Normalized bytes for the non-IP kinds; nil when the value cannot be of this kind.
    func normalizedBytes(_ b: UnsafeRawBufferPointer) -> [UInt8]? {
        switch self {
        case .email:
            var s = 0, e = b.count
            while s < e && (b[s] == 0x20 || b[s] == 0x09) { s += 1 }
            while e > s && (b[e - 1] == 0x20 || b[e - 1] == 0x09) { e -= 1 }
            guard e > s else { return nil }
            // ASCII folding only: bytes of 0x80 and above are not letters A–Z and stay as they are.
            return UnsafeRawBufferPointer(rebasing: b[s..<e]).map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
        case .phone:
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            for (i, c) in b.enumerated() {
                switch c {
                case 0x20, 0x09, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"): continue
                case UInt8(ascii: "+") where out.isEmpty && i >= 0: out.append(c)
                case UInt8(ascii: "0")...UInt8(ascii: "9"): out.append(c)
                default: return nil
                }
            }
            guard out.contains(where: { $0 != UInt8(ascii: "+") }) else { return nil }
            return out
        case .accountID:
            return b.isEmpty ? nil : Array(b)
        case .ipv4, .ipv6:
            return nil
        }
    }
}

/// One subject identifier from a request: its value as written and, for IP addresses,
/// the moment the address was observed.
public struct SubjectIdentifier: Sendable, Hashable {
    /// The value as written in the request.
    public var value: String
    /// When the address was in use (IP identifiers); nil means no time constraint.
    public var time: Instant?

    /// Builds an identifier.
    public init(_ value: String, time: Instant? = nil) {
        self.value = value
        self.time = time
    }
}

/// A search for the accounts behind subject identifiers in one dataset.
public struct IdentifierSearch: Sendable {
    /// Dataset name (for messages).
    public var dataset: String
    /// File format.
    public var format: DataFormat
    /// Files to read, in order.
    public var files: [URL]
    /// Field holding the account id.
    public var accountField: FieldPath
    /// Field holding the identifier; may contain `[]` (e.g. `emails[]`).
    public var identifierField: FieldPath
    /// How identifier values are normalized and compared.
    public var kind: IdentifierKind
    /// Field holding the record time (used for IP identifiers with a time).
    public var timeField: FieldPath?
    /// Format of the time field.
    public var timeFormat: TimeFormat
    /// For IP identifiers with a time: a record matches only if its time is within
    /// ± this many nanoseconds of the subject's time.
    public var toleranceNanoseconds: Int64
    /// The subject values to resolve.
    public var subjects: [SubjectIdentifier]
    /// Threads that scan JSON Lines and JSON array files (`ScanJobs`); never changes a result.
    public var jobs: Int = ScanJobs.processDefault
    /// Segment size of the parallel scan (small in tests, so that many cuts happen).
    public var segmentBytes: Int = 16 << 20

    /// Memberwise initializer.
    public init(dataset: String, format: DataFormat, files: [URL], accountField: FieldPath, identifierField: FieldPath,
                kind: IdentifierKind, timeField: FieldPath?, timeFormat: TimeFormat, toleranceNanoseconds: Int64,
                subjects: [SubjectIdentifier]) {
        self.dataset = dataset; self.format = format; self.files = files; self.accountField = accountField
        self.identifierField = identifierField; self.kind = kind; self.timeField = timeField
        self.timeFormat = timeFormat; self.toleranceNanoseconds = toleranceNanoseconds; self.subjects = subjects
    }
}

/// What a search found.
public struct IdentifierResolution: Sendable, Equatable {
    /// Per subject (same order as `IdentifierSearch.subjects`): the decoded account ids
    /// of the records that carry the identifier. Empty: the subject did not resolve here.
    public var accounts: [Set<String>]
    /// Records read and checked for well-formedness.
    public var recordsScanned = 0
    /// Records carrying one of the identifiers (before the time check).
    public var recordsMatchingValue = 0
    /// Records carrying an IP identifier whose time was missing or unparseable, so they
    /// could not be matched (fail closed).
    public var recordsWithUnparseableTime = 0
    /// Records without an account id.
    public var recordsWithoutAccount = 0
    /// Per subject: the accounts of records whose identifier equals the subject's only
    /// under Unicode folding (`LookAlike`), not under the kind's own comparison. They do
    /// not resolve; the plan flags them.
    public var lookAlikeAccounts: [Set<String>] = []
    /// Per subject: how many records carried such a look-alike identifier.
    public var lookAlikeRecords: [Int] = []
}

/// Resolves subject identifiers to account ids by streaming one dataset.
///
/// Why: a request names people by email, phone or IP address; the data is keyed by
/// account. Every record is checked for well-formedness exactly as `scopeDataset` does
/// (a malformed record anywhere throws `InputError`), values are normalized per `kind`
/// before comparing, and an IP identifier with a time matches only records whose time
/// parses and lies within the tolerance. An IP identifier without a time matches at any
/// time — the caller decides whether a request may omit it. Throws `InputError` (file
/// `<request>`) for a subject value that is not a value of `kind`.
public func resolveIdentifiers(_ search: IdentifierSearch) throws -> IdentifierResolution {
    var resolver = try IdentifierMatcher(search)
    switch search.format {
    case .jsonl, .json:
        let scanner = try IdentifierSegmentScanner(search, matcher: resolver)
        return try ParallelScan(scanner: scanner, files: search.files, jobs: search.jobs, segmentBytes: search.segmentBytes)
            .run { _ in }
    case .csv: try resolveCSV(search, &resolver)
    }
    return resolver.result
}

/// The normalized subjects and the running result.
struct IdentifierMatcher: Sendable {
    let kind: IdentifierKind
    let times: [Instant?]
    let tolerance: Int64
    var byValue: [[UInt8]: [Int]] = [:]
    var byAddress: [IPAddress: [Int]] = [:]
    /// Subjects by look-alike key (`LookAlike.key`), for values that miss `byValue`.
    var byLookAlike: [[UInt8]: [Int]] = [:]
    /// Whether an ASCII record value can be a look-alike: only when a subject's own key
    /// differs from its comparison form (a subject written with non-ASCII characters).
    var asciiLookAlikes = false
    var result: IdentifierResolution
    var needsTime: Bool

    init(_ search: IdentifierSearch) throws {
        kind = search.kind
        times = search.subjects.map(\.time)
        tolerance = max(0, search.toleranceNanoseconds)
        result = IdentifierResolution(accounts: Array(repeating: [], count: search.subjects.count))
        result.lookAlikeAccounts = result.accounts
        result.lookAlikeRecords = Array(repeating: 0, count: search.subjects.count)
        needsTime = kind.isIPAddress && search.subjects.contains { $0.time != nil }
        for (i, s) in search.subjects.enumerated() {
            var v = s.value
            let ok: Bool = v.withUTF8 { b in
                let raw = UnsafeRawBufferPointer(b)
                if kind.isIPAddress {
                    guard let ip = IPAddress(bytes: raw), ip.isIPv4 == (kind == .ipv4) else { return false }
                    byAddress[ip, default: []].append(i)
                } else {
                    guard let n = kind.normalizedBytes(raw) else { return false }
                    byValue[n, default: []].append(i)
                    if let key = LookAlike.key(raw, kind: kind) {
                        byLookAlike[key, default: []].append(i)
                        if key != n { asciiLookAlikes = true }
                    }
                }
                return true
            }
            guard ok else {
                throw InputError(file: "<request>", field: "subject \(i + 1)",
                                 message: "not a valid \(kind.rawValue) identifier",
                                 hint: "correct the subject identifier in the request")
            }
        }
    }

    /// The subjects whose identifier equals the record value `bytes` (`exact`), or, when
    /// none does, those it equals only under Unicode folding (`lookAlike`).
    func subjects(for bytes: UnsafeRawBufferPointer) -> (exact: [Int]?, lookAlike: [Int]?) {
        if kind.isIPAddress {
            guard let ip = IPAddress(bytes: bytes) else { return (nil, nil) }
            return (byAddress[ip], nil)
        }
        let n = kind.normalizedBytes(bytes)
        if let n, let hit = byValue[n] { return (hit, nil) }
        guard !byLookAlike.isEmpty else { return (nil, nil) }
        if bytes.allSatisfy({ $0 < 0x80 }) {
            // An ASCII value's key is its comparison form: it can only meet a non-ASCII subject's key.
            guard asciiLookAlikes, let n else { return (nil, nil) }
            return (nil, byLookAlike[n])
        }
        // Folding keeps every ASCII letter and digit (lowercased), so with ASCII subjects a
        // look-alike's own ASCII characters appear, in order, in a subject's key: a cheap
        // test that spares the Unicode folding for the many values that cannot be one.
        guard asciiLookAlikes || byLookAlike.keys.contains(where: { LookAlike.mayFold(bytes, to: $0, kind: kind) }) else { return (nil, nil) }
        return (nil, LookAlike.key(bytes, kind: kind).flatMap { byLookAlike[$0] })
    }

    /// Counts a look-alike record of `account` for each of `indices` (never a match).
    mutating func lookAlike(_ indices: [Int], account: String) {
        for i in indices {
            result.lookAlikeRecords[i] += 1
            result.lookAlikeAccounts[i].insert(account)
        }
    }

    /// Records `account` for each of `indices` whose time constraint `recordTime` meets.
    mutating func match(_ indices: [Int], account: String, recordTime: () -> Instant?) {
        result.recordsMatchingValue += 1
        var parsed = false
        var time: Instant?
        var unparseableCounted = false
        for i in indices {
            if kind.isIPAddress, let st = times[i] {
                if !parsed { time = recordTime(); parsed = true }
                guard let rt = time else {
                    if !unparseableCounted { result.recordsWithUnparseableTime += 1; unparseableCounted = true }
                    continue
                }
                guard abs(rt.nanoseconds.subtractingReportingOverflow(st.nanoseconds)) <= tolerance else { continue }
            }
            result.accounts[i].insert(account)
        }
    }

    private func abs(_ r: (partialValue: Int64, overflow: Bool)) -> Int64 {
        if r.overflow { return .max }
        return r.partialValue == .min ? .max : Swift.abs(r.partialValue)
    }
}

private func resolveCSV(_ search: IdentifierSearch, _ m: inout IdentifierMatcher) throws {
    var scratch: [UInt8] = []
    var firstHeader: [String]?
    for url in search.files {
        let csv = try CSVReader(url: url)
        guard try csv.readHeader() else { continue }
        if let first = firstHeader, first != csv.header {
            throw InputError(file: url.path, line: 1, message: "the header differs from the first file's header",
                             hint: "all files of a dataset must have the same columns in the same order")
        }
        firstHeader = csv.header
        let accountCol = try csvColumn(search.accountField, header: csv.header, reader: csv, role: "account")
        let idCol = try csvColumn(search.identifierField, header: csv.header, reader: csv, role: "identifier")
        let timeCol = try search.timeField.map { try csvColumn($0, header: csv.header, reader: csv, role: "time") }
        try csv.forEachRecord { base in
            m.result.recordsScanned += 1
            let fields = csv.fields
            fields[accountCol].decoded(base, into: &scratch)
            guard !scratch.isEmpty else {
                m.result.recordsWithoutAccount += 1
                return
            }
            let accountID = String(decoding: scratch, as: UTF8.self)
            fields[idCol].decoded(base, into: &scratch)
            let hit = scratch.withUnsafeBytes { m.subjects(for: $0) }
            guard let indices = hit.exact else {
                if let near = hit.lookAlike { m.lookAlike(near, account: accountID) }
                return
            }
            m.match(indices, account: accountID) {
                guard let timeCol else { return nil }
                fields[timeCol].decoded(base, into: &scratch)
                return scratch.withUnsafeBytes { RecordTime.parse($0, format: search.timeFormat) }
            }
        }
    }
}
