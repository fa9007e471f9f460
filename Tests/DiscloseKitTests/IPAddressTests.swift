import Testing
@testable import DiscloseKit

struct IPAddressTests {
    static let equal: [(String, String)] = [
        ("2001:db8::1", "2001:0db8:0:0:0:0:0:1"),
        ("2001:DB8::1", "2001:db8:0::1"),
        ("::", "0:0:0:0:0:0:0:0"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("::ffff:c000:0201", "192.0.2.1"),
        ("fe80::1:2", "fe80:0:0:0:0:0:1:2"),
        ("1::", "1:0:0:0:0:0:0:0"),
    ]

    @Test(arguments: equal)
    func sameAddressInAnyTextualForm(a: String, b: String) {
        #expect(IPAddress(a) != nil)
        #expect(IPAddress(a) == IPAddress(b))
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", "1:2:3:4:5:6:7:8:9", "1::2::3",
                      ":1:2:3:4:5:6:7", "12345::", "fe80::1%eth0", "[::1]", "10.0.0.0/8", "g::1", "1:2:3:4:5:6:7:", "example.org"])
    func rejectsNonAddresses(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test(arguments: [
        ("192.0.2.77", "192.0.2.0/24"),
        ("10.1.2.3", "10.1.2.0/24"),
        ("::ffff:10.1.2.3", "10.1.2.0/24"),
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::/48"),
        ("2001:0DB8:0000:0012::1", "2001:db8::/48"),
        ("2001:0:5::1", "2001:0:5::/48"),
        ("::1", "::/48"),
    ])
    func prefixes(text: String, prefix: String) {
        #expect(IPAddress(text)?.prefixText == prefix)
    }

    @Test func canonicalText() {
        #expect(IPAddress("2001:0db8:0000:0000:0001:0000:0000:0001")?.description == "2001:db8::1:0:0:1")
        #expect(IPAddress("2001:db8:0:1:1:1:1:1")?.description == "2001:db8:0:1:1:1:1:1")
        #expect(IPAddress("::ffff:192.0.2.1")?.description == "192.0.2.1")
    }
}
