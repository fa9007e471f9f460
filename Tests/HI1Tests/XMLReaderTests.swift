import Foundation
import Testing
@testable import HI1

/// The strict XML reader: what it accepts, and that hostile input is refused quickly,
/// with the file, the position and the element path.
@Suite("Strict XML reader")
struct XMLReaderTests {
    func parse(_ s: String, limits: StrictXML.Limits = StrictXML.Limits()) throws -> StrictXML.Element {
        try StrictXML.parse(Array(s.utf8), file: "m.xml", limits: limits)
    }

    func refusal(_ s: String, limits: StrictXML.Limits = StrictXML.Limits()) -> HI1Error? {
        do { _ = try parse(s, limits: limits); return nil } catch let e as HI1Error { return e } catch { return nil }
    }

    @Test("namespaces, predefined entities, character references, CDATA; comments and PIs skipped")
    func accepts() throws {
        let root = try parse("""
        <?xml version="1.0" encoding="utf-8"?>
        <!-- a comment --><a:r xmlns:a="urn:a" xmlns="urn:d" xmlns:x="urn:x">
          <c x:t="x:V" k='1 &amp; 2'>A&lt;B&#x41;&#66;<![CDATA[<raw&>]]><?pi ignored?></c>
          <d/>
        </a:r>
        """)
        #expect(root.namespace == "urn:a" && root.name == "r")
        let c = root.children[0]
        #expect(c.namespace == "urn:d" && c.path == "/r/c")
        #expect(c.text == "A<BAB<raw&>")
        #expect(c.attribute("k") == "1 & 2")
        #expect(c.attribute("t", namespace: "urn:x") == "x:V")
        #expect(c.resolve(qname: "x:V")! == ("urn:x", "V"))
        #expect(root.children[1].name == "d" && root.children[1].children.isEmpty)
    }

    @Test("entity expansion (billion laughs) is refused at the DOCTYPE")
    func billionLaughs() {
        let e = refusal("""
        <?xml version="1.0"?>
        <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
        <lolz>&lol2;</lolz>
        """)
        #expect(e?.message.contains("DTDs and entity declarations are not accepted") == true)
        #expect(e?.line == 2)
    }

    @Test("an external entity is refused; an undeclared entity reference is refused")
    func externalEntity() {
        let e = refusal(#"<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"#)
        #expect(e?.message.contains("DTD") == true)
        let u = refusal("<r><s>&x;</s></r>")
        #expect(u?.message.contains("unknown entity '&x;'") == true)
        #expect(u?.field == "/r/s")
    }

    @Test("deep nesting stops at the depth limit, quickly")
    func deepNesting() {
        let depth = 100_000
        let start = Date()
        let e = refusal(String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth))
        #expect(e?.message.contains("nested deeper than 64") == true)
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test("a huge text node is refused at the text limit; an oversized document at the size limit")
    func hugeText() {
        var limits = StrictXML.Limits()
        limits.maxTextBytes = 1 << 20
        let e = refusal("<r><t>" + String(repeating: "A", count: (1 << 20) + 10) + "</t></r>", limits: limits)
        #expect(e?.message.contains("text content longer than") == true)
        #expect(e?.field == "/r/t")
        limits.maxBytes = 1000
        #expect(refusal("<r>" + String(repeating: " ", count: 1000) + "</r>", limits: limits)?.message.contains("larger than") == true)
    }

    @Test("malformed input is refused with its position", arguments: [
        ("<r><a></b></r>", "does not match"),
        ("<r a='1' a='2'/>", "given twice"),
        ("<p:r/>", "prefix 'p' is not declared"),
        ("<r>", "not closed"),
        ("<r/><s/>", "after the root"),
        ("<?xml version='1.0' encoding='ISO-8859-1'?><r/>", "must be UTF-8"),
        ("<r>&#0;</r>", "not a valid XML character"),
        ("<r>\u{1}</r>", "control character"),
    ])
    func malformed(_ input: String, _ message: String) {
        let e = refusal(input)
        #expect(e?.message.contains(message) == true, "\(input): \(e?.description ?? "accepted")")
        #expect(e?.line != nil)
    }

    @Test("UTF-16 and invalid UTF-8 are refused")
    func encodings() {
        #expect(throws: HI1Error.self) { try StrictXML.parse([0xFF, 0xFE, 0x3C, 0x00], file: "m.xml") }
        do { _ = try StrictXML.parse(Array("<r>".utf8) + [0xC3, 0x28] + Array("</r>".utf8), file: "m.xml"); Issue.record("accepted") }
        catch let e as HI1Error { #expect(e.message == "invalid UTF-8" && e.column == 4) } catch { Issue.record("\(error)") }
    }
}
