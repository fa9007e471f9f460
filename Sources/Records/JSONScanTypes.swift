import Primitives

/// The kinds of JSON value the scanner reports.
enum JSONKind: UInt8 {
    case string, number, trueLiteral, falseLiteral, null, object, array
}

/// One value found at a target path. For strings `start..<end` is the content between
/// the quotes (still escaped when `escaped`); for other kinds it is the value's bytes
/// (for containers only `start` is meaningful).
struct JSONCapture {
    var target: Int
    var kind: JSONKind
    var start: Int
    var end: Int
    var escaped: Bool
}

/// Why a scan stopped: malformed input at `offset`, or (when `truncated`) the buffer
/// ended before the record did, so the caller must supply more bytes or report a
/// truncated file.
struct JSONScanError: Error {
    var offset: Int
    var message: String
    var truncated: Bool

    static func invalid(_ offset: Int, _ message: String) -> JSONScanError {
        JSONScanError(offset: offset, message: message, truncated: false)
    }
    static func needMore(_ offset: Int) -> JSONScanError {
        JSONScanError(offset: offset, message: "the input ends inside a record", truncated: true)
    }
}

/// One step of a target path, with the key as decoded UTF-8 bytes.
enum JSONTargetComponent: Equatable {
    case key([UInt8])
    case each

    /// Converts field-path steps.
    static func from(_ path: FieldPath) -> [JSONTargetComponent] {
        path.components.map {
            switch $0 {
            case .key(let k): return .key(Array(k.utf8))
            case .each: return .each
            }
        }
    }
}

/// A validating JSON scanner for one record (a top-level object).
///
/// It checks everything RFC 8259 requires — structure, string escapes (including paired
/// surrogates), control characters, number grammar, strict UTF-8 — plus two rules of
/// ours: no duplicate keys in one object (compared after decoding escapes) and at most
/// `maxDepth` levels of nesting. While checking it notes where the values at a few
/// target paths are, without building anything: this is the hot path that every record
/// of a dataset goes through, so it allocates nothing per record and scans string
