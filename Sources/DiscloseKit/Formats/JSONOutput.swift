import Primitives

/// A JSON value for the documents Disclose writes (plans, manifests, reports, audit
/// entries): members keep the order the code gives them, so output is deterministic and
/// byte-identical for the same inputs.
public indirect enum JSONOutput: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
                                 ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral {
    case object([(String, JSONOutput)])
    case array([JSONOutput])
    case string(String)
    case int(Int)
    case bool(Bool)
    case null

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONOutput...) { self = .array(elements) }

    public static func == (a: JSONOutput, b: JSONOutput) -> Bool { a.compact == b.compact }

    /// An optional string, `null` when absent.
    public static func optional(_ s: String?) -> JSONOutput { s.map { .string($0) } ?? .null }

    /// Pretty form: two-space indentation, one member per line, trailing newline.
    public var pretty: String {
        var out = ""
        write(&out, indent: 0, pretty: true)
        return out + "\n"
    }

    /// Compact form on one line (audit log entries, JSON Lines).
    public var compact: String {
        var out = ""
        write(&out, indent: 0, pretty: false)
        return out
    }

    /// Member lookup for objects (tests and diffs).
    public subscript(key: String) -> JSONOutput? {
        guard case .object(let m) = self else { return nil }
        return m.first { $0.0 == key }?.1
    }

    private func write(_ out: inout String, indent: Int, pretty: Bool) {
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let close = pretty ? String(repeating: "  ", count: indent) : ""
        let nl = pretty ? "\n" : ""
        switch self {
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{" + nl
            for (i, (k, v)) in members.enumerated() {
                out += pad; JSONOutput.escape(k, into: &out); out += pretty ? ": " : ":"
                v.write(&out, indent: indent + 1, pretty: pretty)
                out += (i + 1 < members.count ? "," : "") + nl
            }
            out += close + "}"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[" + nl
            for (i, v) in items.enumerated() {
                out += pad
                v.write(&out, indent: indent + 1, pretty: pretty)
                out += (i + 1 < items.count ? "," : "") + nl
            }
            out += close + "]"
        case .string(let s): JSONOutput.escape(s, into: &out)
        case .int(let n): out += String(n)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }

    /// Appends `s` as a JSON string literal, escaped by `JSONString` (Primitives): the one
    /// rule the record writer uses too (RFC 8259 plus DEL, U+2028 and U+2029).
    public static func escape(_ s: String, into out: inout String) {
        out += JSONString.quoted(s)
    }
}
