import DiscloseTestSupport
import Foundation
import Sodium
import Testing
@testable import DiscloseKit
@testable import Records

/// Each field action on JSON records, and the counts they leave in the statistics.
struct FieldActionTests {
    static func key(_ byte: UInt8) -> SecretBytes { SecretBytes(copying: [UInt8](repeating: byte, count: 32)) }

    @Test func discloseIsByteForByte() throws {
        let line = #"{"account":"A1","v":"\u0041\/b\t","n":-0.000e-0,"o":{ "x" : [ 1 , 2 ] },"t":true,"z":null}"#
        let (out, stats) = try scopeText(line, actions: ["account": .disclose, "v": .disclose, "n": .disclose,
                                                         "o": .disclose, "t": .disclose, "z": .disclose])
        #expect(out == line + "\n")
        #expect(stats.fieldActions["o"] == ["disclose": 1])
    }

    @Test func pseudonymsAreConsistentAndKeyed() throws {
        let text = #"""
        {"account":"A1","email":"Bob@Example.com","to":["bob@example.com","carol@example.com"],"n":42}
        {"account":"A1","email":"bob@example.com","to":[],"n":"42"}
        """#
        let actions: [String: FieldAction] = ["account": .disclose, "email": .pseudonymize, "to": .pseudonymize, "n": .pseudonymize]
        let (out1, stats) = try scopeText(text, actions: actions, key: Self.key(1))
        let (out2, _) = try scopeText(text, actions: actions, key: Self.key(1))
        let (out3, _) = try scopeText(text, actions: actions, key: Self.key(2))
        #expect(out1 == out2)
        #expect(out1 != out3)
        let p = Pseudonymizer(key: Self.key(1))
        let bob = p.pseudonym(of: "bob@example.com")
        #expect(bob.hasPrefix("pn:") && bob.count == 27)
        #expect(p.pseudonym(of: "BOB@example.COM") == bob)
        #expect(p.pseudonym(of: "Bob") != p.pseudonym(of: "bob"))  // not an email: case kept
        let expected1 = #"{"account":"A1","email":"\#(bob)","to":["\#(bob)","\#(p.pseudonym(of: "carol@example.com"))"],"n":"\#(p.pseudonym(of: "42"))"}"#
        let expected2 = #"{"account":"A1","email":"\#(bob)","to":[],"n":"\#(p.pseudonym(of: "42"))"}"#
        #expect(out1 == expected1 + "\n" + expected2 + "\n")
        #expect(!out1.lowercased().contains("bob@"))
        #expect(stats.fieldActions["email"] == ["pseudonymize": 2])
        #expect(stats.fieldActions["to"] == ["pseudonymize": 3])
    }

    @Test func pseudonymMatchesHMACDefinition() {
        let key = Self.key(7)
        let mac = key.withUnsafeBytes { k in Array("alice@example.org".utf8).withUnsafeBytes { HMACSHA256.authenticate(key: k, data: $0) } }
        let expected = "pn:" + Hex.encode(mac.copyBytes().prefix(12))
        #expect(Pseudonymizer(key: key).pseudonym(of: "Alice@Example.ORG") == expected)
    }

    @Test func pseudonymizeWithoutKeyWithholds() throws {
        let (out, stats) = try scopeText(#"{"account":"A1","email":"LEAK@x.org"}"#,
                                         actions: ["account": .disclose, "email": .pseudonymize])
        #expect(out == #"{"account":"A1"}"# + "\n")
        #expect(stats.fieldActions["email"] == ["withhold": 1])
    }

    static let masks: [(String, String)] = [
        ("John.Doe@example.com", "****.***@example.com"),
        ("+1 (555) 010-9999", "+* (***) ***-****"),
        ("Zoë Ådne", "*** ****"),
        ("日本", "**"),
        ("a@b", "*@*"),     // no dot in the domain: not an email, all masked
        ("", ""),
    ]

    @Test(arguments: masks)
    func maskKeepsOnlyTheShape(input: String, masked: String) {
        #expect(Masking.mask(input) == masked)
    }

    @Test func maskInRecords() throws {
        let line = #"{"account":"A1","name":"Ann \"Bo\"","phone":5550100,"flag":true,"none":null,"nested":{"a":"x1","b":["y2"]}}"#
        let (out, stats) = try scopeText(line, actions: ["account": .disclose, "name": .mask, "phone": .mask, "flag": .mask,
                                                         "none": .mask, "nested": .mask])
        // A boolean's mask would tell which it is, and an object's member names are data
        // (issue 14.1): both are withheld and counted.
        #expect(out == #"{"account":"A1","name":"*** \"**\"","phone":"*******","none":null}"# + "\n")
        #expect(stats.fieldActions["nested"] == ["withhold": 1])
        #expect(stats.fieldActions["flag"] == ["withhold": 1])
    }

    @Test func ipPrefixForV4AndV6AndNonAddresses() throws {
        let line = #"{"account":"A1","ip":"192.0.2.77","ip6":"2001:db8:abcd:12::1","bad":"LEAK-not-an-ip","num":12,"ips":["10.0.0.1","nope","::ffff:10.9.8.7"]}"#
        let (out, stats) = try scopeText(line, actions: ["account": .disclose, "ip": .ipPrefix, "ip6": .ipPrefix, "bad": .ipPrefix,
                                                         "num": .ipPrefix, "ips[]": .ipPrefix])
        #expect(out == #"{"account":"A1","ip":"192.0.2.0/24","ip6":"2001:db8:abcd::/48","ips":["10.0.0.0/24","10.9.8.0/24"]}"# + "\n")
        #expect(stats.valuesNotIPAddress == ["bad": 1, "num": 1, "ips[]": 1])
        #expect(stats.fieldActions["ips[]"] == ["ip_prefix": 2, "withhold": 1])
    }

    /// Issue 14.1: under a redacted path, names are data too. Objects are withheld whole,
    /// arrays are redacted element by element, members the data map does not name are
    /// withheld, booleans are withheld, and `ip_prefix` keeps nothing that is not an IP
    /// address in a string.
    @Test func redactedPathsLeakNoMemberNames() throws {
        let line = #"{"account":"A1","to":[{"alice@example.org":"delivered"},"bob@example.org",[],["c@d.org",{"k":1}],true,null],"#
            + #""ipo":{"carol@x.org":"10.0.0.1"},"ipa":["nope",7,{"a":"10.0.0.1"}],"ipn":12,"ipb":false,"ipz":null,"#
            + #""hdr":{"kind":"mail","dave@x.org":"v","sub":{"erin@x.org":1}},"m":{}}"#
        let key = Self.key(3)
        let (out, stats) = try scopeText(line, actions: ["account": .disclose, "to": .pseudonymize, "ipo": .ipPrefix, "ipa": .ipPrefix,
                                                         "ipn": .ipPrefix, "ipb": .ipPrefix, "ipz": .ipPrefix,
                                                         "hdr": .mask, "hdr.kind": .disclose, "m": .mask], key: key)
        for leak in ["alice", "carol", "dave", "erin", "delivered", "\"k\"", "nope", "ipo", "ipa", "ipn", "ipb", "true", "false", "\"m\""] {
            #expect(!out.contains(leak), "\(leak) in \(out)")
        }
        let p = Pseudonymizer(key: key)
        let bob = String(decoding: Array("bob@example.org".utf8).withUnsafeBytes { p.pseudonymBytes(of: $0) }, as: UTF8.self)
        let c = String(decoding: Array("c@d.org".utf8).withUnsafeBytes { p.pseudonymBytes(of: $0) }, as: UTF8.self)
        #expect(out == #"{"account":"A1","to":[""# + bob + #"",[],[""# + c + #""],null],"ipz":null,"hdr":{"kind":"mail"}}"# + "\n")
        #expect(stats.fieldActions["to"] == ["pseudonymize": 4, "withhold": 3])
        #expect(stats.fieldActions["ipo"] == ["withhold": 1])
        #expect(stats.fieldActions["ipa"] == ["withhold": 3])
        #expect(stats.valuesNotIPAddress == ["ipa": 2, "ipn": 1, "ipb": 1])
        #expect(stats.fieldActions["hdr"] == ["withhold": 2])
        #expect(stats.fieldActions["m"] == ["withhold": 1])
    }

    @Test func withholdAndUnmappedAreCounted() throws {
        let text = """
        {"account":"A1","pw":"LEAK","extra":{"deep":"LEAK"},"keep":1}
        {"account":"A1","pw":"LEAK","other":"LEAK","keep":2}
        {"account":"B9","pw":"x","zzz":"x"}
        """
        let (out, stats) = try scopeText(text, actions: ["account": .disclose, "pw": .withhold, "keep": .disclose])
        #expect(!out.contains("LEAK"))
        #expect(out == "{\"account\":\"A1\",\"keep\":1}\n{\"account\":\"A1\",\"keep\":2}\n")
        #expect(stats.fieldActions["pw"] == ["withhold": 2])
        #expect(stats.unmappedFields == ["extra": 1, "other": 1])  // disclosed records only
        #expect(stats.fieldActions["keep"] == ["disclose": 2])
    }

    @Test func longestPrefixDecides() throws {
        let line = #"{"account":"A1","profile":{"name":"Ann","email":"a@b.org","tags":["x","y"],"ids":{"ssn":"LEAK","uid":7}}}"#
        let (out, stats) = try scopeText(line, actions: ["account": .disclose, "profile": .disclose, "profile.email": .mask,
                                                         "profile.ids": .withhold, "profile.ids.uid": .disclose])
        #expect(out == #"{"account":"A1","profile":{"name":"Ann","email":"*@b.org","tags":["x","y"],"ids":{"uid":7}}}"# + "\n")
        #expect(stats.fieldActions["profile.ids"] == ["withhold": 1])
        #expect(stats.fieldActions["profile"] == ["disclose": 2])
    }

    @Test func unparseableTimeIsWithheldAndCounted() throws {
        let text = """
        {"account":"A1","ts":"2024-03-01T10:00:00Z","n":1}
        {"account":"A1","ts":"yesterday","n":2}
        {"account":"A1","n":3}
        {"account":"A1","ts":null,"n":4}
        {"account":"A1","ts":1709287200,"n":5}
        {"account":"A1","ts":"2020-01-01T00:00:00Z","n":6}
        {"account":"B1","ts":"garbage","n":7}
        """
        let (out, stats) = try scopeText(text, actions: ["account": .disclose, "ts": .disclose, "n": .disclose], time: "ts",
                                         window: at("2024-03-01")...at("2024-03-02"))
        #expect(out == "{\"account\":\"A1\",\"ts\":\"2024-03-01T10:00:00Z\",\"n\":1}\n")
        #expect(stats.recordsScanned == 7)
        #expect(stats.recordsForSubjects == 6)
        #expect(stats.recordsWithUnparseableTime == 4)  // text, missing, null, number in an RFC 3339 field
        #expect(stats.recordsOutsideWindow == 1)
        #expect(stats.recordsDisclosed == 1)
    }

    @Test func epochTimesAsNumbersAndStrings() throws {
        let dir = try! TempDir("disclose-engine")
        let f = dir.file("d.jsonl", """
        {"account":"A1","ts":1709287200000,"n":1}
        {"account":"A1","ts":"1709287200000","n":2}
        {"account":"A1","ts":1609459200000,"n":3}
        """)
        let s = makeScope([f], timeFormat: .epochMillis, window: at("2024-03-01")...at("2024-03-02"),
                          actions: ["account": .disclose, "ts": .disclose, "n": .disclose])
        let (_, stats) = try runScope(s)
        #expect(stats.recordsDisclosed == 2 && stats.recordsOutsideWindow == 1)
    }

    @Test func outputIsChunkedAndCounted() throws {
        var text = ""
        for i in 0..<30_000 { text += "{\"account\":\"A1\",\"n\":\(i),\"body\":\"\(String(repeating: "x", count: 60))\"}\n" }
        let dir = try! TempDir("disclose-engine")
        let f = dir.file("d.jsonl", text)
        var chunks = 0
        var total = 0
        let stats = try scopeDataset(makeScope([f], actions: ["account": .disclose, "n": .disclose, "body": .disclose])) {
            chunks += 1; total += $0.count
        }
        #expect(chunks > 1)
        #expect(total == text.utf8.count && stats.outputBytes == total)
    }
}
