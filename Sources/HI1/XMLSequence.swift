import Primitives
/// Reads an element's children as an XML Schema `sequence` prescribes: known names, in
/// order, each within its occurrence bounds. Why: a message that does not follow the
/// schema's structure must be refused with the element path and the reason, not half-read.
struct XMLSequence {
    /// One element of the sequence.
    struct Slot {
        var namespace: String
        var name: String
        var min = 0
        var max = 1
    }

    private var found: [String: [StrictXML.Element]] = [:]
    let element: StrictXML.Element
    let file: String

    /// Validates `element`'s children against `slots` (element-only content).
    init(_ element: StrictXML.Element, file: String, _ slots: [Slot]) throws {
        self.element = element
        self.file = file
        guard element.text.allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) else {
            throw XMLSequence.fail(element, file, "text is not allowed here, only child elements")
        }
        var k = 0
        var counts = [Int](repeating: 0, count: slots.count)
        for child in element.children {
            var j = k
            while j < slots.count, !(slots[j].name == child.name && slots[j].namespace == child.namespace) { j += 1 }
            guard j < slots.count else {
                if slots[..<k].contains(where: { $0.name == child.name && $0.namespace == child.namespace }) {
                    throw XMLSequence.fail(child, file, "<\(child.name)> is out of order (the schema's sequence: \(slots.map(\.name).joined(separator: ", ")))")
                }
                let sameName = slots.first { $0.name == child.name }
                if let s = sameName {
                    throw XMLSequence.fail(child, file, "<\(child.name)> is in namespace '\(child.namespace)', expected '\(s.namespace)'")
                }
                throw XMLSequence.fail(child, file, "unexpected element <\(child.name)> (allowed here: \(slots[k...].map(\.name).joined(separator: ", ")))")
            }
            for s in k..<j where counts[s] < slots[s].min {
                throw XMLSequence.fail(child, file, "missing <\(slots[s].name)> before <\(child.name)>")
            }
            counts[j] += 1
            guard counts[j] <= slots[j].max else {
                throw XMLSequence.fail(child, file, "<\(child.name)> may occur at most \(slots[j].max) time(s)")
            }
            found[child.name, default: []].append(child)
            k = j
        }
        for s in k..<slots.count where counts[s] < slots[s].min {
            throw XMLSequence.fail(element, file, "missing required <\(slots[s].name)>")
        }
    }

    static func fail(_ e: StrictXML.Element, _ file: String, _ message: String, hint: String? = nil) -> HI1Error {
        HI1Error(file: file, line: e.line, column: e.column, field: e.path, message: message, hint: hint)
    }

    func fail(_ message: String, hint: String? = nil) -> HI1Error { XMLSequence.fail(element, file, message, hint: hint) }

    /// The object type an `HI1Object` names in its `xsi:type` (namespace and local name),
    /// for the CREATE and UPDATE readers alike; refused without a declared prefix.
    static func objectType(_ object: StrictXML.Element, _ file: String) throws(HI1Error) -> (namespace: String, name: String) {
        guard let typeName = object.attribute("type", namespace: HI1Namespace.xsi), let type = object.resolve(qname: typeName) else {
            throw XMLSequence.fail(object, file, "HI1Object needs an xsi:type naming its object type (with a declared prefix)")
        }
        return type
    }

    /// The single child `name`, if present.
    func optional(_ name: String) -> StrictXML.Element? { found[name]?.first }

    /// All children `name`.
    func all(_ name: String) -> [StrictXML.Element] { found[name] ?? [] }

    /// The child `name`, which the slot list made required.
    func required(_ name: String) -> StrictXML.Element { found[name]!.first! }

    /// The trimmed text of the child `name`, if present.
    func text(_ name: String) throws -> String? {
        guard let e = optional(name) else { return nil }
        return try XMLSequence.text(e, file: file)
    }

    /// The trimmed text of a simple-content element (no child elements).
    static func text(_ e: StrictXML.Element, file: String) throws -> String {
        guard e.children.isEmpty else { throw fail(e, file, "<\(e.name)> must hold text, not elements") }
        return e.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The date-time in child `name` (ETSI QualifiedDateTime: with `Z` or an offset).
    func time(_ name: String) throws -> Instant? {
        guard let e = optional(name) else { return nil }
        return try XMLSequence.time(e, file: file)
    }

    /// Parses a QualifiedDateTime element.
    static func time(_ e: StrictXML.Element, file: String) throws -> Instant {
        let s = try text(e, file: file)
        guard s.count >= 20, let t = TimeParsing.parse(s, format: .rfc3339) else {
            throw fail(e, file, "not an ETSI QualifiedDateTime (e.g. 2026-11-14T21:40:00Z or …+01:00)")
        }
        return t
    }
}

import Foundation
