import Testing
@testable import DiscloseKit

/// Issue 14.2: clear-text documents summarise unmapped fields under data-map paths and
/// never spell a path taken from a record.
struct UnmappedSummaryTests {
    @Test func generalisesUnderTheLongestDataMapPath() {
        let unmapped = ["contacts.alice@example.org": 2, "contacts.+33612345678": 1, "x-alice@example.org": 4,
                        "profile.ids[]": 1, "profile.ids.bob": 3, "att[].carol": 5]
        let mapped = [fp("contacts.work"), fp("profile.ids.uid"), fp("att[].size"), fp("account")]
        let s = UnmappedSummary.of(unmapped, mapped: mapped)
        #expect(s == [UnmappedSummary(field: "*", names: 1, values: 4),
                      UnmappedSummary(field: "att[].*", names: 1, values: 5),
                      UnmappedSummary(field: "contacts.*", names: 2, values: 3),
                      UnmappedSummary(field: "profile.ids.*", names: 2, values: 4)])
        for entry in s { #expect(!entry.field.contains("alice") && !entry.field.contains("bob") && !entry.field.contains("carol")) }
    }
}
