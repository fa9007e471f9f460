import Primitives
import Sodium

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
