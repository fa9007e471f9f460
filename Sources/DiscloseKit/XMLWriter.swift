/// Writes indented XML with correct escaping, for the HI-1 messages we send. Kept tiny:
/// elements, attributes and text only — no DTD, no entities beyond the predefined ones.
struct XMLWriter {
    private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    private var open: [String] = []

    /// Escapes text or attribute content.
    static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\r": out += "&#13;"
            case _ where u.value < 0x20 && u != "\n" && u != "\t": out += " "
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    private var pad: String { String(repeating: "  ", count: open.count) }

    mutating func start(_ name: String, _ attributes: [(String, String)] = []) {
        text += pad + "<" + name + attributes.map { " \($0.0)=\"\(XMLWriter.escape($0.1))\"" }.joined() + ">\n"
        open.append(name)
    }

    mutating func end() {
        let name = open.removeLast()
        text += pad + "</" + name + ">\n"
    }

    mutating func leaf(_ name: String, _ value: String) {
        text += pad + "<" + name + ">" + XMLWriter.escape(value) + "</" + name + ">\n"
    }

    /// A text-only element whose value needs no escaping (base64, hex): large payloads
    /// skip the per-character escaper. The value must hold no `<`, `&` or `"`.
    mutating func leaf(_ name: String, unescaped value: String) {
        assert(!value.utf8.contains { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") })
        text += pad + "<" + name + ">" + value + "</" + name + ">\n"
    }

    /// An element with children written by `body`.
    mutating func element(_ name: String, _ attributes: [(String, String)] = [], _ body: (inout XMLWriter) -> Void) {
        start(name, attributes)
        body(&self)
        end()
    }
}
