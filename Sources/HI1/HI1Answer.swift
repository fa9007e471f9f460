import Primitives
import Sodium

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
