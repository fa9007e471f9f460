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
    /// The Form 3 family of the refusal or impossibility, nil for `Disclosed`.
    public var refusal: HI1RefusalReason? = nil
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

/// A NotificationObject Disclose sends: a refusal or impossibility (with its Form 3
/// family) or a request for clarification, associated with the authorisation and the
/// tasks it concerns. `details` is words only — never a record value.
public struct HI1Notification: Sendable, Equatable {
    /// What the notification says.
    public enum Kind: Sendable, Equatable {
        /// The provider does not execute the tasks, for this reason.
        case refusal(HI1RefusalReason)
        /// The provider cannot execute the tasks as written and asks the authority.
        case clarification
    }
    /// The kind.
    public var kind: Kind
    /// Associated objects: the authorisation first, then the tasks.
    public var associated: [String]
    /// NotificationDetails.
    public var details: String

    /// The `NotificationType` value.
    public var typeValue: String {
        switch kind {
        case .refusal(let r): return r.dictionaryValue
        case .clarification: return HI1Profile.clarificationValue
        }
    }

    /// One notification per distinct refusal among `outcomes` (same family and reason),
    /// associated with the authorisation and the tasks that share it.
    public static func refusals(_ outcomes: [HI1TaskOutcome], authorisation: String) -> [HI1Notification] {
        var out: [HI1Notification] = []
        for o in outcomes where o.status != .disclosed {
            let kind = Kind.refusal(o.refusal ?? .other), details = o.reason ?? ""
            if let i = out.firstIndex(where: { $0.kind == kind && $0.details == details }) {
                out[i].associated.append(o.objectIdentifier)
            } else {
                out.append(HI1Notification(kind: kind, associated: [authorisation, o.objectIdentifier], details: details))
            }
        }
        return out
    }
}

/// Builds the HI-1 answer to a request message after `plan` (and `export`): per task an
/// UPDATE of its LDTaskObject with the ETSI LDTaskStatus, per refusal or impossibility
/// a CREATE of a NotificationObject with its Form 3 family, and per disclosed task a
/// DELIVER of a DeliveryObject that names the bundle and carries its tag manifest with
/// the manifest's SHA-512 (unless the bundle is delivered in parts, `HI1DeliveryParts`).
/// See docs/HI1.md.
public enum HI1Answer {
    /// Reason codes (Disclose's own; ETSI leaves them to national profiles).
    public enum Code {
        /// The case was refused by a policy check (or a reviewer).
        public static let refused = 4001
        /// The instrument does not reach the task's category.
        public static let categoryRefused = 4002
        /// No account matched the task's identifiers, or no record was in scope.
        public static let noData = 4004
    }

    /// A UUID derived from `seed`, so the same answer gets the same identifiers again.
    public static func derivedUUID(_ seed: String) -> String { HI1Envelope.derivedUUID(seed) }

    /// The answer message, sent from this provider (`from`) to the requesting authority.
    /// With `inlineDelivery: false` the bundle travels in part messages and this message
    /// carries no DELIVER.
    public static func message(request: HI1Request, outcomes: [HI1TaskOutcome], bundle: HI1BundleReference?,
                               from: HI1Request.Endpoint, now: Instant, inlineDelivery: Bool = true) -> String {
        let seed = "\(request.transactionIdentifier)|\(bundle?.bundleID ?? "-")|\(outcomes.map { "\($0.objectIdentifier)=\($0.status.rawValue)" }.joined(separator: ","))"
        let notifications = HI1Notification.refusals(outcomes, authorisation: request.authorisation.objectIdentifier)
        return HI1Envelope.message(from: from, to: request.sender, transaction: derivedUUID("transaction|" + seed), now: now) { w in
            var action = 0
            for o in outcomes {
                w.element("ActionRequest") { w in
                    w.leaf("ActionIdentifier", String(action))
                    w.element("UPDATE") { w in
                        w.element("HI1Object", [("xsi:type", "task:LDTaskObject")]) { w in
                            w.leaf("ObjectIdentifier", o.objectIdentifier)
                            if let r = o.reference { w.leaf("task:Reference", r) }
                            HI1Envelope.dictionary(&w, "task:Status", owner: HI1Profile.taskStatusDictionary.owner,
                                                   dictionary: HI1Profile.taskStatusDictionary.name, value: o.status.rawValue)
                            if let code = o.code {
                                w.element("task:StatusReason") { w in
                                    w.leaf("ErrorCode", String(code))
                                    w.leaf("ErrorDescription", HI1Envelope.longString(o.reason ?? ""))
                                }
                            }
                        }
                    }
                }
                action += 1
            }
            for n in notifications {
                notification(&w, n, action: action, seed: seed, now: now)
                action += 1
            }
            guard let bundle, inlineDelivery else { return }
            for o in outcomes where o.status == .disclosed {
                let id = derivedUUID("delivery|\(bundle.bundleID)|\(o.objectIdentifier)")
                w.element("ActionRequest") { w in
                    w.leaf("ActionIdentifier", String(action))
                    w.element("DELIVER") { w in
                        w.leaf("Identifier", id)
                        w.element("HI1Object", [("xsi:type", "delivery:DeliveryObject")]) { w in
                            w.leaf("ObjectIdentifier", id)
                            HI1Envelope.associated(&w, [o.objectIdentifier])
                            if let r = o.reference { w.element("delivery:Reference") { $0.leaf("delivery:LDID", r) } }
                            w.leaf("delivery:DeliveryID", bundle.bundleID)
                            w.leaf("delivery:SequenceNumber", "1")
                            w.leaf("delivery:LastSequence", "true")
                            w.element("delivery:Manifest") { w in
                                w.element("delivery:ExternalSchema") { $0.leaf("delivery:ManifestID", HI1Profile.bundleManifestID) }
                            }
                            w.element("delivery:Delivery") { w in
                                w.element("delivery:BinaryData") { w in
                                    w.leaf("delivery:Data", Base64.padded.encode(bundle.tagManifest))
                                    w.leaf("delivery:ContentType", "text/plain; charset=utf-8")
                                    w.leaf("delivery:Checksum", bundle.sha512)
                                    w.leaf("delivery:ChecksumType", HI1Profile.checksumType)
                                }
                            }
                        }
                    }
                }
                action += 1
            }
        }
    }

    /// A request for clarification: one NotificationObject associated with the
    /// authorisation and `tasks` (all of them when empty), carrying `text`.
    public static func clarification(request: HI1Request, tasks: [HI1Request.Task], text: String,
                                     from: HI1Request.Endpoint, now: Instant) -> String {
        let chosen = tasks.isEmpty ? request.tasks : tasks
        let n = HI1Notification(kind: .clarification, associated: [request.authorisation.objectIdentifier] + chosen.map(\.objectIdentifier), details: text)
        let seed = "clarify|\(request.transactionIdentifier)|\(n.associated.joined(separator: ","))|\(Hex.encode(SHA512.hash(Array(text.utf8))))"
        return HI1Envelope.message(from: from, to: request.sender, transaction: derivedUUID("transaction|" + seed), now: now) { w in
            notification(&w, n, action: 0, seed: seed, now: now)
        }
    }

    /// One `CREATE` of a NotificationObject.
    static func notification(_ w: inout XMLWriter, _ n: HI1Notification, action: Int, seed: String, now: Instant) {
        let id = derivedUUID("notification|\(seed)|\(n.typeValue)|\(n.associated.joined(separator: ","))")
        w.element("ActionRequest") { w in
            w.leaf("ActionIdentifier", String(action))
            w.element("CREATE") { w in
                w.element("HI1Object", [("xsi:type", "notification:NotificationObject")]) { w in
                    w.leaf("ObjectIdentifier", id)
                    HI1Envelope.associated(&w, n.associated)
                    w.leaf("notification:NotificationDetails", HI1Envelope.longString(n.details))
                    HI1Envelope.dictionary(&w, "notification:NotificationType", owner: HI1Profile.notificationDictionary.owner,
                                           dictionary: HI1Profile.notificationDictionary.name, value: n.typeValue)
                    w.leaf("notification:NewNotification", "true")
                    w.leaf("notification:NotificationTimestamp", HI1Envelope.secondTime(now))
                }
            }
        }
    }
}
