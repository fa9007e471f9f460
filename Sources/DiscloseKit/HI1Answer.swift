import Sodium

/// The outcome of one LDTask, as the HI-1 answer reports it.
public struct HI1TaskOutcome: Sendable, Equatable {
    /// ETSI `LDTaskStatus` values Disclose reports.
    public enum Status: String, Sendable {
        /// Records were disclosed in the bundle.
        case disclosed = "Disclosed"
        /// The task is valid but no record of its subjects is in scope.
        case notAvailable = "DisclosureNotAvailable"
        /// The provider refused the task.
        case rejected = "Rejected"
    }
    /// The task's object identifier.
    public var objectIdentifier: String
    /// The task's LDID, when it has one.
    public var reference: String?
    /// The status.
    public var status: Status
    /// Disclose's reason code (docs/HI1.md), nil for `Disclosed`.
    public var code: Int?
    /// Why, in words (no record values).
    public var reason: String?
}

/// The bundle an answer points to: its id and its signed tag manifest.
public struct HI1BundleReference: Sendable {
    /// `bundle_id` from disclosure.json (a UUID).
    public var bundleID: String
    /// The bytes of `tagmanifest-sha512.txt`, which covers every file of the bundle.
    public var tagManifest: [UInt8]
    /// Hex SHA-512 of `tagManifest`.
    public var sha512: String { Hex.encode(SHA512.hash(tagManifest)) }
}

/// Builds the HI-1 answer to a request message after `plan` (and `export`): per task an
/// UPDATE of its LDTaskObject with the ETSI LDTaskStatus, and per disclosed task a DELIVER
/// of a DeliveryObject that names the bundle and carries its tag manifest with the
/// manifest's SHA-512 (Checksum, ChecksumType `SHA-512`). See docs/HI1.md.
public enum HI1Answer {
    /// Reason codes (Disclose's own; ETSI leaves them to national profiles).
    public enum Code {
        /// The case was refused by a policy check.
        public static let refused = 4001
        /// The instrument does not reach the task's category.
        public static let categoryRefused = 4002
        /// No account matched the task's identifiers, or no record was in scope.
        public static let noData = 4004
    }

    /// Derives each task's outcome from the plan document (the one that was approved).
    public static func outcomes(_ scopes: [HI1TaskScope], plan: DocumentJSON.Node) -> [HI1TaskOutcome] {
        let verdict = plan["verdict"]?.string ?? "refused"
        let failed = plan["checks"]?.elements.filter { $0["outcome"]?.string == "fail" }.compactMap { $0["detail"]?.string } ?? []
        var granted: [String: (Bool, String)] = [:]
        for c in plan["categories"]?.elements ?? [] {
            if let name = c["category"]?.string { granted[name] = (c["granted"]?.bool ?? false, c["reason"]?.string ?? "") }
        }
        var accounts: [String: Int] = [:]
        for s in plan["subjects"]?.elements ?? [] {
            let key = "\(s["type"]?.string ?? "")|\(s["value"]?.string ?? "")|\(s["time"]?.string ?? "")"
            accounts[key] = s["accounts"]?.int ?? 0
        }
        return scopes.map { scope in
            func outcome(_ s: HI1TaskOutcome.Status, _ code: Int?, _ reason: String?) -> HI1TaskOutcome {
                HI1TaskOutcome(objectIdentifier: scope.task.objectIdentifier, reference: scope.task.reference, status: s, code: code, reason: reason)
            }
            if verdict == "refused" {
                return outcome(.rejected, Code.refused, failed.isEmpty ? "refused by the provider's policy" : failed.joined(separator: "; "))
            }
            let cats = scope.categories.sorted()
            if !cats.contains(where: { granted[$0.rawValue]?.0 == true }) {
                return outcome(.rejected, Code.categoryRefused, cats.map { granted[$0.rawValue]?.1 ?? "\($0.rawValue) not granted" }.joined(separator: "; "))
            }
            let matched = scope.subjects.contains { accounts["\($0.kind.rawValue)|\($0.value)|\($0.time?.description ?? "")", default: 0] > 0 }
            if !matched { return outcome(.notAvailable, Code.noData, "no account matches the task's identifiers") }
            if verdict != "disclose" { return outcome(.notAvailable, Code.noData, "no record of the task's subjects falls within the request") }
            return outcome(.disclosed, nil, nil)
        }
    }

    /// A UUID derived from `seed` (SHA-512, RFC 9562 version 8 layout), so the same
    /// answer gets the same identifiers when written again.
    public static func derivedUUID(_ seed: String) -> String {
        var b = Array(SHA512.hash(Array(seed.utf8)).prefix(16))
        b[6] = (b[6] & 0x0F) | 0x80
        b[8] = (b[8] & 0x3F) | 0x80
        let h = Hex.encode(b)
        let c = Array(h)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(c[$0]) }.joined(separator: "-")
    }

    /// `2026-11-14T21:40:00.000000Z` (ETSI QualifiedMicrosecondDateTime).
    static func microsecondTime(_ t: Instant) -> String {
        let micros = ((t.nanoseconds % 1_000_000_000) + 1_000_000_000) % 1_000_000_000 / 1000
        let whole = Instant(nanoseconds: t.nanoseconds - (t.nanoseconds % 1_000_000_000 + 1_000_000_000) % 1_000_000_000).description
        let digits = String(micros)
        return whole.dropLast() + "." + String(repeating: "0", count: 6 - digits.count) + digits + "Z"
    }

    /// The answer message, sent from this provider (`from`) to the requesting authority.
    public static func message(request: HI1Request, outcomes: [HI1TaskOutcome], bundle: HI1BundleReference?,
                               from: HI1Request.Endpoint, now: Instant, profileOwner: String = "XX", profileVersion: String = "v1.0") -> String {
        var w = XMLWriter()
        let ns: [(String, String)] = [("xmlns", HI1Namespace.core), ("xmlns:xsi", HI1Namespace.xsi), ("xmlns:common", HI1Namespace.common),
                                      ("xmlns:task", HI1Namespace.task), ("xmlns:delivery", HI1Namespace.delivery)]
        let seed = "\(request.transactionIdentifier)|\(bundle?.bundleID ?? "-")|\(outcomes.map { "\($0.objectIdentifier)=\($0.status.rawValue)" }.joined(separator: ","))"
        w.element("HI1Message", ns) { w in
            w.element("Header") { w in
                endpoint(&w, "SenderIdentifier", from)
                endpoint(&w, "ReceiverIdentifier", request.sender)
                w.leaf("TransactionIdentifier", derivedUUID("transaction|" + seed))
                w.leaf("Timestamp", microsecondTime(now))
                w.element("Version") { w in
                    w.leaf("ETSIVersion", "V1.12.1"); w.leaf("NationalProfileOwner", profileOwner); w.leaf("NationalProfileVersion", profileVersion)
                }
            }
            w.element("Payload") { w in
                w.element("RequestPayload") { w in
                    w.element("ActionRequests") { w in
                        var action = 0
                        for o in outcomes {
                            w.element("ActionRequest") { w in
                                w.leaf("ActionIdentifier", String(action))
                                w.element("UPDATE") { w in
                                    w.element("HI1Object", [("xsi:type", "task:LDTaskObject")]) { w in
                                        w.leaf("ObjectIdentifier", o.objectIdentifier)
                                        if let r = o.reference { w.leaf("task:Reference", r) }
                                        w.element("task:Status") { w in
                                            w.leaf("common:Owner", "ETSI"); w.leaf("common:Name", "LDTaskStatus"); w.leaf("common:Value", o.status.rawValue)
                                        }
                                        if let code = o.code {
                                            w.element("task:StatusReason") { w in
                                                w.leaf("ErrorCode", String(code))
                                                w.leaf("ErrorDescription", String((o.reason ?? "").prefix(60_000)))
                                            }
                                        }
                                    }
                                }
                            }
                            action += 1
                        }
                        guard let bundle else { return }
                        for o in outcomes where o.status == .disclosed {
                            let id = derivedUUID("delivery|\(bundle.bundleID)|\(o.objectIdentifier)")
                            w.element("ActionRequest") { w in
                                w.leaf("ActionIdentifier", String(action))
                                w.element("DELIVER") { w in
                                    w.leaf("Identifier", id)
                                    w.element("HI1Object", [("xsi:type", "delivery:DeliveryObject")]) { w in
                                        w.leaf("ObjectIdentifier", id)
                                        w.element("AssociatedObjects") { $0.leaf("AssociatedObject", o.objectIdentifier) }
                                        if let r = o.reference { w.element("delivery:Reference") { $0.leaf("delivery:LDID", r) } }
                                        w.leaf("delivery:DeliveryID", bundle.bundleID)
                                        w.leaf("delivery:SequenceNumber", "1")
                                        w.leaf("delivery:LastSequence", "true")
                                        w.element("delivery:Manifest") { w in
                                            w.element("delivery:ExternalSchema") { $0.leaf("delivery:ManifestID", "disclose-bundle/1: BagIt 1.0 bag, tagmanifest-sha512.txt signed with minisign") }
                                        }
                                        w.element("delivery:Delivery") { w in
                                            w.element("delivery:BinaryData") { w in
                                                w.leaf("delivery:Data", Base64.padded.encode(bundle.tagManifest))
                                                w.leaf("delivery:ContentType", "text/plain; charset=utf-8")
                                                w.leaf("delivery:Checksum", bundle.sha512)
                                                w.leaf("delivery:ChecksumType", "SHA-512")
                                            }
                                        }
                                    }
                                }
                            }
                            action += 1
                        }
                    }
                }
            }
        }
        return w.text
    }

    private static func endpoint(_ w: inout XMLWriter, _ name: String, _ e: HI1Request.Endpoint) {
        w.element(name) { w in w.leaf("CountryCode", e.countryCode); w.leaf("UniqueIdentifier", e.uniqueIdentifier) }
    }
}
