import Primitives
/// A small, strict XML 1.0 reader for messages we receive (HI-1 requests).
///
/// Why our own: a general XML library brings DTDs, external entities and entity
/// expansion — the classic ways a hostile message reads local files or exhausts memory.
/// This reader accepts only what a well-formed, schema-governed message needs: UTF-8,
/// namespaces, the five predefined entities, numeric character references, CDATA,
/// comments and processing instructions (skipped). `<!DOCTYPE` and `<!ENTITY` are refused
/// outright. Size, depth, attribute count, name length, element count and text length
/// are capped, and the parser is iterative, so no input can make it hang or recurse deeply.
public enum StrictXML {
    /// Caps on what one document may contain.
    public struct Limits: Sendable {
        /// Largest document, in bytes.
        public var maxBytes = 16 << 20
        /// Deepest element nesting.
        public var maxDepth = 64
        /// Most attributes (namespace declarations included) on one element.
        public var maxAttributes = 32
        /// Longest text content of one element, in bytes.
        public var maxTextBytes = 8 << 20
        /// Longest element or attribute name, in bytes.
        public var maxNameBytes = 256
        /// Most elements in the document.
        public var maxElements = 100_000

        /// The defaults above.
        public init() {}
    }

    /// One attribute, its name resolved to a namespace.
    public struct Attribute: Sendable, Equatable {
        /// Namespace URI (empty for an unprefixed attribute).
        public var namespace: String
        /// Local name.
        public var name: String
        /// Decoded, normalized value.
        public var value: String
    }

    /// One element with its resolved name, attributes, children and text.
    public struct Element: Sendable {
        /// Namespace URI (empty when none applies).
        public var namespace: String
        /// Local name.
        public var name: String
        /// Attributes other than namespace declarations.
        public var attributes: [Attribute]
        /// Child elements in document order.
        public var children: [Element]
        /// Character data directly inside this element (CDATA included), concatenated.
        public var text: String
        /// 1-based line and column of the start tag.
        public var line: Int
        /// 1-based column (bytes) of the start tag.
        public var column: Int
        /// Location path by local names, e.g. `/HI1Message/Payload/RequestPayload`.
        public var path: String
        /// Namespace bindings in scope (prefix → URI; "" is the default namespace), for
        /// QName-valued attributes such as `xsi:type`.
        public var bindings: [String: String]

        /// The attribute `name` in `namespace`, if present.
        public func attribute(_ name: String, namespace: String = "") -> String? {
            attributes.first { $0.name == name && $0.namespace == namespace }?.value
        }

        /// Resolves a QName value (`prefix:local`) with this element's bindings.
        public func resolve(qname: String) -> (namespace: String, name: String)? {
            let parts = qname.split(separator: ":", omittingEmptySubsequences: false)
            switch parts.count {
            case 1: return (bindings[""] ?? "", qname)
            case 2: return bindings[String(parts[0])].map { ($0, String(parts[1])) }
            default: return nil
            }
        }
    }

    /// The namespace bound to the `xml` prefix.
    public static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    /// Parses a whole document and returns its root element. Errors name the file, the
    /// line and column, and the element path where they occur.
    public static func parse(_ bytes: [UInt8], file: String, limits: Limits = Limits()) throws -> Element {
        guard bytes.count <= limits.maxBytes else {
            throw HI1Error(file: file, message: "XML message is larger than the \(limits.maxBytes)-byte limit")
        }
        var p = XMLByteParser(bytes: bytes, file: file, limits: limits)
        return try p.document()
    }
}
