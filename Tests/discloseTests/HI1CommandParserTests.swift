import DiscloseTestSupport
import Testing
@testable import disclose

/// The HI-1 exchange's command lines: respond's message kinds and their options,
/// import-delivery, import --update-of, case receive --acknowledge.
@Suite("Argument parser: HI-1 exchange")
struct HI1CommandParserTests {
    @Test("good command lines parse to the expected options")
    func good() throws {
        #expect(try parse(["respond", "p.plan", "--out", "a.xml"]) == .respond(RespondOptions(input: "p.plan", out: "a.xml")))
        #expect(try parse(["respond", "p.plan", "--bundle", "b", "--part-size", "4M", "--out", "a.xml"])
                == .respond(RespondOptions(input: "p.plan", bundle: "b", partSize: 4 << 20, out: "a.xml")))
        #expect(try parse(["respond", "m.xml", "--acknowledge", "--out", "a.xml"]) == .respond(RespondOptions(input: "m.xml", mode: .acknowledge, out: "a.xml")))
        #expect(try parse(["respond", "m.xml", "--clarify", "--text", "why?", "--task", "A", "--task", "B", "--out", "q.xml"])
                == .respond(RespondOptions(input: "m.xml", mode: .clarify(text: "why?", textFile: nil), tasks: ["A", "B"], out: "q.xml")))
        #expect(try parse(["respond", "p", "--hi1-request", "m.xml", "--hi1-update", "u.xml", "--out", "a.xml"])
                == .respond(RespondOptions(input: "p", out: "a.xml", update: HI1UpdateFiles(request: "m.xml", update: "u.xml"))))
        #expect(try parse(["import-delivery", "p1.xml", "p2.xml", "--out", "b.tar"]) == .importDelivery(parts: ["p1.xml", "p2.xml"], out: "b.tar"))
        #expect(try parse(["import", "u.xml", "--update-of", "m.xml"]) == .hi1Import(request: "u.xml", out: nil, config: nil, updateOf: "m.xml"))
        #expect(try parse(["case", "receive", "m.xml", "--acknowledge", "a.xml"]) == .lifecycle(.receive(request: "m.xml", config: nil, acknowledge: "a.xml")))
        #expect(parseByteCount("512K") == 512 << 10 && parseByteCount("4MiB") == 4 << 20 && parseByteCount("1000") == 1000)
        #expect(parseByteCount("4G") == nil && parseByteCount("-4") == nil && parseByteCount("") == nil && parseByteCount("99999999999999M") == nil)
    }

    @Test("contradictory or incomplete command lines are usage errors", arguments: [
        ["respond", "p", "--acknowledge", "--clarify", "--text", "x", "--out", "a"],
        ["respond", "p", "--acknowledge", "--bundle", "b", "--out", "a"],
        ["respond", "p", "--clarify", "--out", "a"],
        ["respond", "p", "--clarify", "--text", "x", "--text-file", "f", "--out", "a"],
        ["respond", "p", "--text", "x", "--out", "a"],
        ["respond", "p", "--task", "A", "--out", "a"],
        ["respond", "p", "--part-size", "4M", "--out", "a"],
        ["respond", "p", "--bundle", "b", "--part-size", "lots", "--out", "a"],
        ["respond", "p", "--hi1-request", "m.xml", "--out", "a"],
        ["respond", "p", "--acknowledge"],
        ["import-delivery", "p1.xml"],
        ["import-delivery", "--out", "b.tar"],
    ])
    func bad(_ args: [String]) {
        #expect(throws: UsageError.self) { try parse(args) }
    }
}
