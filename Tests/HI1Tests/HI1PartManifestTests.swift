import Foundation
import Testing
import HI1

/// The delivery-part manifest text (`disclose-delivery-part/1`): written and read back by
/// the HI1 module alone.
@Suite("HI-1 part manifest")
struct HI1PartManifestTests {
    @Test("the part manifest reads back only in its exact form")
    func manifestText() {
        let m = HI1PartManifest(total: 3, partSize: 10, wholeBytes: 25, wholeSHA512: String(repeating: "a", count: 128), previousSHA512: nil)
        #expect(HI1PartManifest.parse(m.text) == m)
        #expect(HI1PartManifest.parse(m.text.replacingOccurrences(of: "total: 3", with: "total: 4")) == nil)
        #expect(HI1PartManifest.parse(m.text + "x") == nil)
        // Numbers at the edge of Int parse or are refused, never overflow.
        let huge = m.text.replacingOccurrences(of: "whole-bytes: 25", with: "whole-bytes: \(Int.max)")
            .replacingOccurrences(of: "part-size: 10", with: "part-size: \(Int.max)").replacingOccurrences(of: "total: 3", with: "total: 1")
        #expect(HI1PartManifest.parse(huge)?.total == 1)
        #expect(HI1PartManifest.parse(m.text.replacingOccurrences(of: "whole-bytes: 25", with: "whole-bytes: \(Int.max)")) == nil)
    }

    @Test("a malformed HI-1 message is refused with the module's own HI1Error, with file and line")
    func ownError() {
        do {
            _ = try HI1Reader.read(Array("<?xml version=\"1.0\"?>\n<HI1Message>".utf8), file: "m.xml")
            Issue.record("accepted")
        } catch let e as HI1Error {
            #expect(e.file == "m.xml" && e.line != nil)
        } catch {
            Issue.record("not an HI1Error: \(error)")
        }
    }
}
