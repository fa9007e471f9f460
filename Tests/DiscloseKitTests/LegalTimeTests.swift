import Foundation
import Testing
@testable import DiscloseKit

/// Plain dates in requests are calendar days in the authority's time zone; the window's
/// `to` day is included to its last instant; a plain date without a zone is refused.
@Suite struct LegalTimeTests {
    static func at(_ text: String) -> Instant { TimeParsing.parse(text, format: .rfc3339)! }

    static func request(authority: String = "us-fbi-nyc", from: String = "2026-09-01", to: String = "2026-11-30") -> String {
        DomainFixtures.request(authority: authority)
            .replacingOccurrences(of: #""window": {"from": "2026-10-01", "to": "2026-11-14T23:59:59Z"}"#,
                                  with: #""window": {"from": "\#(from)", "to": "\#(to)"}"#)
    }

    @Test func newYorkWindowCoversNewYorkDaysAcrossTheDSTChange() throws {
        let r = try DomainFixtures.parseRequest(Self.request())
        // 1 September is EDT (-04:00); 30 November is EST (-05:00), after the 1 November change.
        #expect(r.window.lowerBound == Self.at("2026-09-01T04:00:00Z"))
        #expect(r.window.upperBound == Instant(nanoseconds: Self.at("2026-12-01T05:00:00Z").nanoseconds - 1))
        #expect(!r.window.contains(Self.at("2026-08-31T20:00:00-04:00")), "August in New York is outside")
        #expect(!r.window.contains(Self.at("2026-08-31T23:59:59.999999999-04:00")))
        #expect(r.window.contains(Self.at("2026-09-01T00:00:00-04:00")))
        #expect(r.window.contains(Self.at("2026-11-30T00:00:00-05:00")), "all of 30 November is inside")
        #expect(r.window.contains(Self.at("2026-11-30T23:59:59.999999999-05:00")))
        #expect(!r.window.contains(Self.at("2026-12-01T00:00:00-05:00")))
        #expect(r.windowAsSent == Request.WindowText(from: "2026-09-01", to: "2026-11-30"))
        #expect(r.timeZone == "America/New_York")
    }

    @Test func timesWithOffsetsAreUsedAsTheyAre() throws {
        let r = try DomainFixtures.parseRequest(Self.request(from: "2026-09-01T00:00:00Z", to: "2026-11-30T12:00:00+01:00"))
        #expect(r.window == Self.at("2026-09-01T00:00:00Z")...Self.at("2026-11-30T11:00:00Z"))
        // The instrument's plain dates are days in New York too: issued at the start, expires at the end.
        #expect(r.instrument.issued == Self.at("2026-11-14T00:00:00-05:00"))
        #expect(r.instrument.expires == Instant(nanoseconds: Self.at("2030-01-02T00:00:00-05:00").nanoseconds - 1))
    }

    @Test func aPlainDateForAnAuthorityWithoutAZoneIsRefusedWithAHint() throws {
        let policy = DomainFixtures.policyJSON.replacingOccurrences(of: #", "time_zone": "America/New_York""#, with: "")
        let p = try Policy.parse(DocumentJSON.parse(Array(policy.utf8), file: "policy.json"), file: "policy.json")
        let text = Self.request()
        do {
            _ = try Request.parse(DocumentJSON.parse(Array(text.utf8), file: "request.json"), file: "request.json", policy: p)
            Issue.record("a plain date without a zone was accepted")
        } catch let e as InputError {
            #expect(e.file == "request.json" && e.line != nil)
            #expect(e.field == "instrument.issued", "the first plain date met")
            #expect(e.message.contains("has no time_zone"))
            #expect(e.hint?.contains("time_zone") == true)
        }
        // Unknown authority, or no policy at all: refused alike.
        #expect(throws: InputError.self) { try DomainFixtures.parseRequest(DomainFixtures.request(authority: "nobody")) }
        #expect(throws: InputError.self) { try Request.parse(DocumentJSON.parse(Array(text.utf8), file: "r.json"), file: "r.json") }
    }

    @Test(arguments: ["Mars/Olympus_Mons", "EST", "GMT+5", "america/new_york", ""])
    func unknownZoneNamesAreRefusedWithFileAndField(_ name: String) throws {
        let policy = DomainFixtures.policyJSON.replacingOccurrences(of: "America/New_York", with: name)
        do {
            _ = try Policy.parse(DocumentJSON.parse(Array(policy.utf8), file: "policy.json"), file: "policy.json")
            Issue.record("accepted time zone '\(name)'")
        } catch let e as InputError {
            #expect(e.file == "policy.json")
            #expect(e.field?.hasSuffix("time_zone") == true, "\(e)")
        }
    }

    @Test func aDayWithoutMidnightStartsAtItsFirstInstant() {
        // Chile moved clocks from 24:00 to 01:00 on Saturday 5 September 2026 night:
        // 6 September begins at 01:00 -03:00.
        let santiago = LegalTime.zone(named: "America/Santiago")!
        let days = TimeParsing.parseDate("2026-09-06")!.nanoseconds / 86_400_000_000_000
        #expect(LegalTime.startOfDay(days, in: santiago) == Self.at("2026-09-06T04:00:00Z"))
    }

    @Test func formatsInTheZoneWithItsOffsetAtThatInstant() {
        let ny = LegalTime.zone(named: "America/New_York")!
        #expect(LegalTime.format(Self.at("2026-09-01T04:00:00Z"), in: ny) == "2026-09-01T00:00:00-04:00")
        #expect(LegalTime.format(Instant(nanoseconds: Self.at("2026-12-01T05:00:00Z").nanoseconds - 1), in: ny) == "2026-11-30T23:59:59.999999999-05:00")
        #expect(LegalTime.format(Self.at("2026-06-01T00:00:00Z"), in: LegalTime.zone(named: "Asia/Kolkata")!) == "2026-06-01T05:30:00+05:30")
    }

    @Test func commandLineDatesNeedAZone() throws {
        #expect(try LegalTime.commandLine("2026-11-28", option: "--at", bound: .start, zoneName: "Europe/Paris") == Self.at("2026-11-27T23:00:00Z"))
        #expect(try LegalTime.commandLine("2026-11-28T00:00:00Z", option: "--at", bound: .start, zoneName: nil) == Self.at("2026-11-28T00:00:00Z"))
        #expect(throws: InputError.self) { try LegalTime.commandLine("2026-11-28", option: "--at", bound: .start, zoneName: nil) }
    }
}

/// The window limit counts local days: a 366-day window of plain dates across the
/// autumn DST change is 366 days, not 366 days and an hour.
@Suite struct WindowLimitTests {
    @Test func plainDateWindowsAcrossDSTCountWholeLocalDays() throws {
        let full = LegalTimeTests.request(from: "2026-01-01", to: "2026-12-31")
        let d = try DomainFixtures.decide(full)
        let check = try #require(d.checks.first { $0.name == "window within limit" })
        #expect(check.outcome == .pass)
        #expect(check.detail.contains("(365 days, limit 366)"), "\(check.detail)")
        let over = try DomainFixtures.decide(LegalTimeTests.request(from: "2026-01-01", to: "2027-01-02"))
        #expect(over.checks.first { $0.name == "window within limit" }?.outcome == .fail, "367 calendar days")
    }
}
