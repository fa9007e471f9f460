/// The byte-level work of `StrictXML.parse`: an iterative, single-pass parser over a
/// UTF-8 buffer that builds the element tree and enforces the limits as it goes.
struct XMLByteParser {
    let bytes: [UInt8]
    let file: String
    let limits: StrictXML.Limits
    var i = 0
    var line = 1
    var lineStart = 0
    var elements = 0

    /// An element whose end tag has not been read yet.
    private struct Open {
        var qname: String
        var element: StrictXML.Element
        var textBytes = 0
    }
    private var stack: [Open] = []

    init(bytes: [UInt8], file: String, limits: StrictXML.Limits) {
        self.bytes = bytes; self.file = file; self.limits = limits
    }

    // MARK: errors and positions

    var column: Int { i - lineStart + 1 }

    func fail(_ message: String, hint: String? = nil) -> InputError {
        let path = stack.isEmpty ? nil : "/" + stack.map(\.element.name).joined(separator: "/")
        return InputError(file: file, line: line, column: column, field: path, message: message, hint: hint)
    }

    func at(_ s: String) -> Bool {
        let u = Array(s.utf8)
        return i + u.count <= bytes.count && bytes[i..<(i + u.count)].elementsEqual(u)
    }

    /// Moves past `n` bytes, counting lines.
    mutating func advance(_ n: Int = 1) {
        for _ in 0..<n {
            if bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
            i += 1
        }
    }

    mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { advance() }
    }

    // MARK: document

    mutating func document() throws -> StrictXML.Element {
        try checkEncoding()
        if at("\u{FEFF}") { i += 3; lineStart = 3 }
        if at("<?xml") , i + 5 < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i + 5]) { try declaration() }
        try misc()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "<") else { throw fail("expected the root element") }
        let root = try elementTree()
        try misc()
        guard i == bytes.count else { throw fail("content after the root element") }
        return root
    }

    /// UTF-8 only; XML 1.0 forbids most C0 controls, and so do we.
    func checkEncoding() throws {
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0, 0x3C]) || bytes.starts(with: [0x3C, 0]) {
            throw InputError(file: file, line: 1, column: 1, message: "XML messages must be UTF-8 (this looks like UTF-16)")
        }
        let bad = bytes.withUnsafeBufferPointer { b -> Int? in
            guard let base = b.baseAddress, b.count > 0 else { return nil }
            return UTF8Validation.firstInvalid(base, 0, b.count)
        }
        var ln = 1, ls = 0
        func pos(_ k: Int) { for j in 0..<k where bytes[j] == 0x0A { ln += 1; ls = j + 1 } }
        if let bad {
            pos(bad)
            throw InputError(file: file, line: ln, column: bad - ls + 1, message: "invalid UTF-8")
        }
        if let c = bytes.firstIndex(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) {
            pos(c)
            throw InputError(file: file, line: ln, column: c - ls + 1, message: "control character \(c < bytes.count ? bytes[c] : 0) is not allowed in XML")
        }
    }

    /// `<?xml version="1.0" encoding="UTF-8" standalone="…"?>`: only UTF-8 is accepted.
    mutating func declaration() throws {
        advance(5)
        let start = i
        while i < bytes.count, !at("?>") { advance() }
        guard i < bytes.count else { throw fail("unterminated XML declaration") }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        advance(2)
        if let r = text.range(of: "encoding") {
            let rest = text[r.upperBound...].drop { $0 == " " || $0 == "=" }
            let quote = rest.first
            let value = rest.dropFirst().prefix { $0 != quote }
            guard value.uppercased() == "UTF-8" || value.uppercased() == "UTF8" else {
                throw fail("encoding '\(value)' is not accepted: XML messages must be UTF-8")
            }
        }
    }

    /// Whitespace, comments and processing instructions outside the root; refuses DTDs.
    mutating func misc() throws {
        while true {
            skipSpace()
            if at("<!--") { try comment() }
            else if at("<?") { try instruction() }
            else if at("<!DOCTYPE") || at("<!ENTITY") || at("<!") { throw dtd() }
            else { return }
        }
    }

    func dtd() -> InputError {
        fail("DTDs and entity declarations are not accepted (<!DOCTYPE / <!ENTITY)",
             hint: "HI-1 messages need no DTD; only the five predefined entities and character references are allowed")
    }

    mutating func comment() throws {
        advance(4)
        while i < bytes.count, !at("--") { advance() }
        guard at("-->") else { throw fail(i < bytes.count ? "'--' inside a comment" : "unterminated comment") }
        advance(3)
    }

    mutating func instruction() throws {
        advance(2)
        let start = i
        while i < bytes.count, !at("?>") { advance() }
        guard i < bytes.count else { throw fail("unterminated processing instruction") }
        let target = String(decoding: bytes[start..<i].prefix { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }, as: UTF8.self)
        if target.lowercased() == "xml" { throw fail("XML declaration not at the start of the document") }
        advance(2)
    }

    // MARK: names

    mutating func name() throws -> String {
        let start = i
        while i < bytes.count {
            let b = bytes[i]
            let ok = b >= 0x80 || (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || b == 0x3A
                || (i > start && ((b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E))
            guard ok else { break }
            advance()
            guard i - start <= limits.maxNameBytes else { throw fail("name longer than \(limits.maxNameBytes) bytes") }
        }
        guard i > start else { throw fail("expected a name") }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    // MARK: elements

    /// Parses the root element and everything inside it, iteratively.
    mutating func elementTree() throws -> StrictXML.Element {
        try startTag()
        if let root = pendingRoot { return root }
        while let _ = stack.last {
            guard i < bytes.count else { throw fail("unexpected end of document: <\(stack.last!.qname)> is not closed") }
            if at("</") {
                let done = try endTag()
                if stack.isEmpty { return done }
                stack[stack.count - 1].element.children.append(done)
            } else if at("<!--") { try comment() }
            else if at("<![CDATA[") { try cdata() }
            else if at("<?") { try instruction() }
            else if at("<!") { throw dtd() }
            else if bytes[i] == UInt8(ascii: "<") { try startTag() }
            else { try text() }
        }
        throw fail("no root element")
    }

    mutating func startTag() throws {
        let line0 = line, col0 = column
        advance()
        let qname = try name()
        guard stack.count < limits.maxDepth else { throw fail("elements nested deeper than \(limits.maxDepth) levels") }
        elements += 1
        guard elements <= limits.maxElements else { throw fail("more than \(limits.maxElements) elements") }
        var raw: [(String, String)] = []
        var empty = false
        while true {
            let hadSpace = i < bytes.count && [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i])
            skipSpace()
            guard i < bytes.count else { throw fail("unterminated start tag <\(qname)>") }
            if at("/>") { advance(2); empty = true; break }
            if bytes[i] == UInt8(ascii: ">") { advance(); break }
            guard hadSpace else { throw fail("expected whitespace between attributes") }
            let an = try name()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else { throw fail("attribute '\(an)' has no value") }
            advance(); skipSpace()
            guard i < bytes.count, bytes[i] == 0x22 || bytes[i] == 0x27 else { throw fail("attribute value must be quoted") }
            let quote = bytes[i]
            advance()
            var value = ""
            while true {
                guard i < bytes.count else { throw fail("unterminated attribute value") }
                let b = bytes[i]
                if b == quote { advance(); break }
                if b == UInt8(ascii: "<") { throw fail("'<' in an attribute value") }
                if b == UInt8(ascii: "&") { value.unicodeScalars.append(try reference()); continue }
                if b == 0x09 || b == 0x0A || b == 0x0D { value += " "; advance(); continue }
                let s = i
                while i < bytes.count, bytes[i] != quote, bytes[i] != UInt8(ascii: "&"), bytes[i] != UInt8(ascii: "<"), bytes[i] >= 0x20 { advance() }
                value += String(decoding: bytes[s..<i], as: UTF8.self)
                guard value.utf8.count <= limits.maxTextBytes else { throw fail("attribute value longer than \(limits.maxTextBytes) bytes") }
            }
            guard !raw.contains(where: { $0.0 == an }) else { throw fail("attribute '\(an)' given twice") }
            raw.append((an, value))
            guard raw.count <= limits.maxAttributes else { throw fail("more than \(limits.maxAttributes) attributes on <\(qname)>") }
        }
        var bindings = stack.last?.element.bindings ?? ["xml": StrictXML.xmlNamespace]
        for (n, v) in raw {
            if n == "xmlns" { bindings[""] = v }
            else if n.hasPrefix("xmlns:") {
                let prefix = String(n.dropFirst(6))
                guard !v.isEmpty, prefix != "xmlns", prefix != "xml" else { throw fail("invalid namespace declaration '\(n)'") }
                bindings[prefix] = v
            }
        }
        func split(_ q: String, element: Bool) throws -> (String, String) {
            let parts = q.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count == 1 { return (element ? bindings[""] ?? "" : "", q) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw fail("malformed qualified name '\(q)'") }
            guard let ns = bindings[String(parts[0])] else { throw fail("namespace prefix '\(parts[0])' is not declared") }
            return (ns, String(parts[1]))
        }
        let (ns, local) = try split(qname, element: true)
        var attributes: [StrictXML.Attribute] = []
        for (n, v) in raw where n != "xmlns" && !n.hasPrefix("xmlns:") {
            let (ans, alocal) = try split(n, element: false)
            guard !attributes.contains(where: { $0.namespace == ans && $0.name == alocal }) else { throw fail("attribute '\(n)' given twice") }
            attributes.append(StrictXML.Attribute(namespace: ans, name: alocal, value: v))
        }
        let parentPath = stack.last?.element.path ?? ""
        let element = StrictXML.Element(namespace: ns, name: local, attributes: attributes, children: [], text: "",
                                        line: line0, column: col0, path: parentPath + "/" + local, bindings: bindings)
        stack.append(Open(qname: qname, element: element))
        if empty {
            let done = stack.removeLast().element
            if stack.isEmpty { pendingRoot = done } else { stack[stack.count - 1].element.children.append(done) }
        }
    }

    /// An empty root element (`<a/>`) finishes the document at once.
    var pendingRoot: StrictXML.Element? = nil

    mutating func endTag() throws -> StrictXML.Element {
        advance(2)
        let n = try name()
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ">") else { throw fail("malformed end tag </\(n)>") }
        guard let open = stack.last, open.qname == n else {
            throw fail("end tag </\(n)> does not match <\(stack.last?.qname ?? "")>")
        }
        advance()
        return stack.removeLast().element
    }

    mutating func appendText(_ s: String) throws {
        stack[stack.count - 1].textBytes += s.utf8.count
        guard stack[stack.count - 1].textBytes <= limits.maxTextBytes else {
            throw fail("text content longer than \(limits.maxTextBytes) bytes")
        }
        stack[stack.count - 1].element.text += s
    }

    mutating func text() throws {
        while i < bytes.count, bytes[i] != UInt8(ascii: "<") {
            if bytes[i] == UInt8(ascii: "&") { try appendText(String(try reference())); continue }
            if at("]]>") { throw fail("']]>' is not allowed in text") }
            if bytes[i] == 0x0D {
                advance()
                if i < bytes.count, bytes[i] == 0x0A { advance() }
                try appendText("\n"); continue
            }
            // A run of plain text up to the next markup, reference, CR or "]]>" (at most
            // 64 KiB), scanned over the buffer directly: long base64 payloads are common.
            let s = i
            var j = i, ln = line, ls = lineStart
            bytes.withUnsafeBufferPointer { b in
                while j < b.count, j - s < 65_536 {
                    let c = b[j]
                    if c == 0x3C || c == 0x26 || c == 0x0D { break }
                    if c == 0x5D, j + 2 < b.count, b[j + 1] == 0x5D, b[j + 2] == 0x3E { break }
                    if c == 0x0A { ln += 1; ls = j + 1 }
                    j += 1
                }
            }
            i = j; line = ln; lineStart = ls
            try appendText(String(decoding: bytes[s..<i], as: UTF8.self))
        }
    }

    mutating func cdata() throws {
        advance(9)
        let s = i
        while i < bytes.count, !at("]]>") {
            advance()
            if i - s > limits.maxTextBytes { throw fail("text content longer than \(limits.maxTextBytes) bytes") }
        }
        guard i < bytes.count else { throw fail("unterminated CDATA section") }
        try appendText(String(decoding: bytes[s..<i], as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n"))
        advance(3)
    }

    /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#N;` `&#xH;` — nothing else.
    mutating func reference() throws -> Unicode.Scalar {
        advance()
        let s = i
        while i < bytes.count, bytes[i] != UInt8(ascii: ";"), i - s < 12 { advance() }
        guard i < bytes.count, bytes[i] == UInt8(ascii: ";") else { throw fail("malformed entity or character reference") }
        let body = String(decoding: bytes[s..<i], as: UTF8.self)
        advance()
        switch body {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default: break
        }
        if body.hasPrefix("#") {
            let hex = body.hasPrefix("#x")
            let digits = body.dropFirst(hex ? 2 : 1)
            if !digits.isEmpty, let v = UInt32(digits, radix: hex ? 16 : 10), let u = Unicode.Scalar(v),
               v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v != 0xFFFE && v != 0xFFFF) {
                return u
            }
            throw fail("character reference '&\(body);' is not a valid XML character")
        }
        throw fail("unknown entity '&\(body);': only &amp; &lt; &gt; &quot; &apos; and character references are allowed",
                   hint: "entity declarations and DTDs are refused")
    }
}
