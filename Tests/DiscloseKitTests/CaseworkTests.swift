import DiscloseTestSupport
import Foundation
import Minisign
import Testing
import Sodium
@testable import DiscloseKit

/// Issue #17 in the library: the certificate check, the notice state machine, voiding and
/// the approval progress, on logs and bytes written here.
@Suite struct CaseworkTests {
    static func t(_ s: String) -> Instant { TimeParsing.parseDate(s)! }
    static let policy = try! Policy.parse(try! DocumentJSON.parse(Array(StatusTests.policyJSON.utf8), file: "policy.json"), file: "policy.json")

    // MARK: certificate

    static let hashes = (0..<3).map { i in Hex.encode(SHA512.hash(Array("file \(i)".utf8))) }
    static let manifest = [("data/a.jsonl.age", hashes[0]), ("data/b.csv.age", hashes[1]), ("data/record.json.age", hashes[2])]
        .map { (path: $0.0, sha512: $0.1) }

    static func certificate(_ entries: [CustodianCertificate.Entry]) -> [UInt8] {
        Array(CustodianCertificate.text(custodian: nil, provider: "P", bundleID: "B", requestID: "R", date: t("2026-03-01"),
                                        entries: entries, practice: false).utf8)
    }

    static func check(_ cert: [UInt8], listed: Bool = true) -> VerificationReport {
        var r = VerificationReport()
        let tags = listed ? [(path: "certificate.txt", sha512: Hex.encode(SHA512.hash(cert)))] : []
        CustodianCertificate.check(cert, tagManifest: tags, manifest: manifest, &r)
        return r
    }

    static let blake = String(repeating: "ab", count: 64)

    @Test func aCertificateOfExactlyTheManifestHolds() {
        let cert = Self.certificate(Self.manifest.map { .init(file: $0.path, sha512: $0.sha512, plaintextBLAKE2b512: Self.blake) })
        #expect(CustodianCertificate.entries(cert)?.count == 3)
        #expect(Self.check(cert).ok)
        let text = String(decoding: cert, as: UTF8.self)
        #expect(text.contains("902(11)") && text.contains("902(13)") && text.contains("902(14)"))
    }

    @Test func aCertificateThatDisagreesWithTheBagFails() {
        var entries = Self.manifest.map { CustodianCertificate.Entry(file: $0.path, sha512: $0.sha512, plaintextBLAKE2b512: Self.blake) }
        // Not listed in the tag manifest: not covered by the signature.
        #expect(!Self.check(Self.certificate(entries), listed: false).ok)
        // Listed with another digest: altered.
        var r = VerificationReport()
        CustodianCertificate.check(Self.certificate(entries), tagManifest: [(path: "certificate.txt", sha512: Self.hashes[0])], manifest: Self.manifest, &r)
        #expect(!r.ok && r.checks[0].detail.contains("altered"))
        // A wrong hash, a missing file, an extra file.
        let wrong = entries.enumerated().map { i, e in i == 1 ? CustodianCertificate.Entry(file: e.file, sha512: Self.hashes[0], plaintextBLAKE2b512: e.plaintextBLAKE2b512) : e }
        #expect(Self.check(Self.certificate(wrong)).checks[0].detail.contains("data/b.csv.age: certified SHA-512 differs"))
        #expect(Self.check(Self.certificate(Array(entries.dropLast()))).checks[0].detail.contains("data/record.json.age is not certified"))
        entries.append(.init(file: "data/extra.age", sha512: Self.hashes[0], plaintextBLAKE2b512: Self.blake))
        #expect(Self.check(Self.certificate(entries)).checks[0].detail.contains("certifies data/extra.age, which the bag does not hold"))
        // A malformed block.
        #expect(!Self.check(Array("File: data/a.jsonl.age\nSHA-512: xyz\n".utf8)).ok)
    }

    @Test func policyWordingReplacesTheDefault() throws {
        let c = CustodianCertificate.Custodian(name: "A. Keeper", title: "Records Officer", heading: "ATTESTATION",
                                               wording: "I, {custodian}, {title} at {provider}, attest.")
        let text = CustodianCertificate.text(custodian: c, provider: "P", bundleID: "B", requestID: "R", date: Self.t("2026-03-01"), entries: [], practice: false)
        #expect(text.hasPrefix("ATTESTATION\n"))
        #expect(text.contains("I, A. Keeper, Records Officer at P, attest."))
        #expect(!text.contains("902(11)"))
    }

    @Test func thePolicyGivesWordingByJurisdiction() throws {
        let json = StatusTests.policyJSON.replacingOccurrences(of: "\"max_window_days\"", with: """
            "custodian": {"name": "A. Keeper", "jurisdictions": {"EU": {"heading": "DECLARATION OF AUTHENTICITY", "wording": "{custodian} declares for {provider}."}}},
            "max_window_days"
            """)
        let policy = try Policy.parse(try DocumentJSON.parse(Array(json.utf8), file: "p.json"), file: "p.json")
        let c = try #require(policy.custodian)
        let eu = CustodianCertificate.text(custodian: c, jurisdiction: "EU", provider: "P", bundleID: "B", requestID: "R", date: Self.t("2026-03-01"), entries: [], practice: false)
        #expect(eu.hasPrefix("DECLARATION OF AUTHENTICITY\n") && eu.contains("A. Keeper declares for P."))
        let us = CustodianCertificate.text(custodian: c, jurisdiction: "US", provider: "P", bundleID: "B", requestID: "R", date: Self.t("2026-03-01"), entries: [], practice: false)
        #expect(us.contains("902(11)") && us.contains("I, A. Keeper, Custodian of Records of P"))
        let bad = StatusTests.policyJSON.replacingOccurrences(of: "\"max_window_days\"", with: "\"custodian\": {\"jurisdictions\": {\"EU\": {\"wordin\": \"x\"}}}, \"max_window_days\"")
        #expect(throws: InputError.self) { try Policy.parse(try DocumentJSON.parse(Array(bad.utf8), file: "p.json"), file: "p.json") }
    }

    // MARK: notice

    static func history(_ events: [(String, String, [(String, JSONOutput)])], id: String = "C") throws -> CaseHistory {
        let dir = try TempDir("disclose-casework")
        let log = AuditLog(path: dir.path + "/audit.jsonl")
        for (event, time, facts) in events { try log.append(event: event, caseID: id, time: t(time), facts: facts) }
        return try #require(try CaseLedger.load(log).first)
    }

    static func received(_ notice: NoticeOrder?, emergency: Bool = false) -> (String, String, [(String, JSONOutput)]) {
        ("received", "2026-03-01T12:00:00Z", [("instrument", "us_subpoena"), ("received", "2026-03-01T12:00:00Z"),
                                                ("emergency", .bool(emergency))] + (notice.map { [("notice", $0.fact)] } ?? []))
    }

    @Test func noticeFollowsTheOrderThePolicyAndTheEmergency() throws {
        let now = Self.t("2026-03-10T00:00:00Z")
        // Not tracked: no notice member, no user_notice in the policy.
        #expect(UserNotice.status(try Self.history([Self.received(nil)]), policy: Self.policy, now: now) == nil)
        // Allowed: due before disclosure, then by the disclosure time.
        let allowed = NoticeOrder(kind: .allowed, until: nil, reference: nil)
        var s = try #require(UserNotice.status(try Self.history([Self.received(allowed)]), policy: Self.policy, now: now))
        #expect(s.state == .due && s.due == nil)
        s = try #require(UserNotice.status(try Self.history([Self.received(allowed), ("exported", "2026-03-02T00:00:00Z", [("verdict", "disclose")])]),
                                            policy: Self.policy, now: now))
        #expect(s.state == .due && s.due == Self.t("2026-03-02T00:00:00Z") && s.overdue(at: now))
        // A provider whose policy does not notify before disclosure: "allowed" permits, it does not oblige.
        var quiet = Self.policy
        quiet.userNotice = UserNoticePolicy()
        quiet.userNotice?.beforeDisclosure = false
        #expect(UserNotice.status(try Self.history([Self.received(allowed)]), policy: quiet, now: now)?.state == .notRequired)
        // Prohibited until a date: due 7 days (the default) after it ends.
        let gag = NoticeOrder(kind: .prohibited, until: Self.t("2026-06-01"), reference: "26-MJ-1")
        s = try #require(UserNotice.status(try Self.history([Self.received(gag)]), policy: Self.policy, now: now))
        #expect(s.state == .prohibited && s.until == Self.t("2026-06-01") && s.due == Self.t("2026-06-08"))
        s = try #require(UserNotice.status(try Self.history([Self.received(gag)]), policy: Self.policy, now: Self.t("2026-06-02")))
        #expect(s.state == .due)
        // Emergency: waits for the follow-up process, then 7 days.
        s = try #require(UserNotice.status(try Self.history([Self.received(allowed, emergency: true),
                                                              ("follow_up_received", "2026-03-03T00:00:00Z", [("reference", "w")])]),
                                            policy: Self.policy, now: Self.t("2026-03-02T00:00:00Z")))
        #expect(s.state == .emergency && s.until == Self.t("2026-03-03T00:00:00Z") && s.due == Self.t("2026-03-10T00:00:00Z"))
        // Refused: nothing disclosed, nothing to tell, even under an order.
        s = try #require(UserNotice.status(try Self.history([Self.received(gag), ("planned", "2026-03-01T13:00:00Z", [("verdict", "refused")])]),
                                            policy: Self.policy, now: now))
        #expect(s.state == .notRequired)
        // Given.
        s = try #require(UserNotice.status(try Self.history([Self.received(gag), ("user_notified", "2026-06-02T00:00:00Z", [])]),
                                            policy: Self.policy, now: now))
        #expect(s.state == .given)
    }

    @Test func theRequestNoticeMemberIsStrict() throws {
        func parse(_ notice: String) throws -> Request {
            let text = """
            {"id": "X", "received": "2026-03-01T12:00:00Z", "authority": "a", "notice": \(notice),
             "instrument": {"type": "us_subpoena", "reference": "r", "issuer_role": "court", "issued": "2026-03-01T00:00:00Z"},
             "subjects": [{"type": "email", "value": "x@example.com"}],
             "window": {"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}, "categories": ["subscriber"]}
            """
            return try Request.parse(try DocumentJSON.parse(Array(text.utf8), file: "r.json"), file: "r.json")
        }
        #expect(try parse("{\"allowed\": true}").notice?.kind == .allowed)
        #expect(try parse("{\"delayed_until\": \"2026-09-01T00:00:00Z\", \"order_reference\": \"2705(a)\"}").notice == NoticeOrder(kind: .delayed, until: Self.t("2026-09-01"), reference: "2705(a)"))
        #expect(throws: InputError.self) { try parse("{}") }
        #expect(throws: InputError.self) { try parse("{\"allowed\": true, \"prohibited_until\": \"2026-09-01T00:00:00Z\", \"order_reference\": \"x\"}") }
        #expect(throws: InputError.self) { try parse("{\"prohibited_until\": \"2026-09-01T00:00:00Z\"}") }
        #expect(throws: InputError.self) { try parse("{\"prohibited_until\": \"soon\", \"order_reference\": \"x\"}") }
        #expect(throws: InputError.self) { try parse("{\"allowed\": true, \"order_reference\": \"x\"}") }
    }

    // MARK: void and approvals

    @Test func voidRefusesDisclosedCasesAndExportOnceIgnoresFailedExports() throws {
        let dir = try TempDir("disclose-casework")
        let log = AuditLog(path: dir.path + "/audit.jsonl")
        try log.append(event: "received", caseID: "D", time: Self.t("2026-03-01"), facts: [])
        try log.append(event: "exported", caseID: "D", time: Self.t("2026-03-02"), facts: [("verdict", "disclose"), ("bundle_id", "b1"), ("plan_sha512", "p")])
        #expect(throws: Refusal.self) { try CaseVoid.void(log: log, caseID: "D", reason: "oops") }
        #expect(throws: Refusal.self) { try CaseVoid.void(log: log, caseID: "unknown", reason: "oops") }
        #expect(throws: Refusal.self) { try ExportOnce.check(log: log, caseID: "D", planSHA512: "p", againReason: nil) }
        #expect(try ExportOnce.check(log: log, caseID: "D", planSHA512: "other", againReason: nil).isEmpty)
        try log.append(event: "export_failed", caseID: "D", time: Self.t("2026-03-02"), facts: [("bundle_id", "b1")])
        #expect(try ExportOnce.check(log: log, caseID: "D", planSHA512: "p", againReason: nil).isEmpty, "a failed export does not count")
        // Two exports of one plan racing: the second to append its `exported` entry is refused
        // under the lock, though its early check passed.
        let key = SecretKey.generate()
        let head = try log.appendExported(caseID: "D", planSHA512: "p", againReason: nil, time: Self.t("2026-03-04"), facts: [(.bundleID, "b2"), (.planSHA512, "p")],
                                          key: key)
        #expect(head.sequence == 4)   // its signed head follows as entry 5
        #expect(throws: Refusal.self) {
            try log.appendExported(caseID: "D", planSHA512: "p", againReason: nil, time: Self.t("2026-03-04"), facts: [(.bundleID, "b3"), (.planSHA512, "p")], key: key)
        }
        let repeated = try log.appendExported(caseID: "D", planSHA512: "p", againReason: "copy lost", time: Self.t("2026-03-05"),
                                              facts: [(.bundleID, "b4"), (.planSHA512, "p")], key: key)
        #expect(repeated.sequence == 6)
        let last = try #require(try log.entries().last { $0.event == "exported" })
        #expect(last.string(.againReason) == "copy lost" && last.node["previous_bundles"]?.elements.compactMap(\.string) == ["b2"])
        try log.append(event: "voided", caseID: "D", time: Self.t("2026-03-03"), facts: [("reason", "test")])
        #expect(throws: Refusal.self) { try ExportOnce.check(log: log, caseID: "D", planSHA512: "p", againReason: "x") }
    }

    @Test func approvalsOfAnotherPlanOrByUnknownKeysDoNotCount() throws {
        let legal = "RWRwnmAy+ebGgv/4y+c4WknHxw3plV3lla6R9ezZUM0t59EvsHmjyNMG"   // Keys/DEMO-reviewer-legal.pub
        var p = Self.policy
        p.approvers = [Policy.Approver(name: "L", role: "legal", publicKey: legal)]
        let id = "82C6E6F932609E70"
        let h = try Self.history([
            ("planned", "2026-03-01T13:00:00Z", [("plan_sha512", "new"), ("verdict", "disclose"), ("approvals_required", .object([("count", 2), ("roles", .array(["legal"]))]))]),
            ("approved", "2026-03-01T14:00:00Z", [("plan_sha512", "old"), ("key_id", .string(id))]),
            ("approved", "2026-03-01T14:00:00Z", [("plan_sha512", "new"), ("key_id", .string(id))]),
            ("approved", "2026-03-01T14:00:00Z", [("plan_sha512", "new"), ("key_id", .string(id))]),
            ("approved", "2026-03-01T14:00:00Z", [("plan_sha512", "new"), ("key_id", "0123456789ABCDEF")]),
        ])
        let progress = try #require(ApprovalProgress.of(h, policy: p))
        #expect(progress.approvals.map(\.role) == ["legal"])
        #expect(progress.unknown.map(\.keyID) == ["0123456789ABCDEF"])
        #expect(progress.missingCount == 1 && progress.missingRoles.isEmpty && !progress.satisfied)
        #expect(CaseStatus.state(h, progress: progress) == .planned)
        #expect(CaseNextStep.advice(h, progress: progress, notice: nil) == .step(.approve(), note: progress.missingText ?? ""),
                "the next step is an approval, as a typed step the front end renders")
    }
}

