/// Turns an HI-1 request message into Disclose's `Request`: one case for the whole
/// message, with each LDTask's own scope kept (`HI1TaskScope`) so the answer can report
/// every task separately. The rules are documented in docs/HI1.md.
///
/// Several tasks fold into one case as the union of their subjects and categories over
/// the enclosing window — but only when that union is **exact**: every subject must be
/// asked, by some task, for every category of the case over the whole case window.
/// Otherwise folding would disclose more than some task authorizes, so the message is
/// refused with the task and the widening named (fail closed).
public enum HI1Mapping {
    /// ETSI `RequestType` values → our categories.
    public static let requestTypes: [String: DataCategory] = [
        "SubscriberData": .subscriber, "UserIdentifyingData": .identification,
        "TrafficData": .traffic, "StoredContentData": .content,
    ]

    /// Translates `message` under `policy` (which knows the authorities' HI-1 endpoints,
    /// this provider's endpoint and the legal-type mapping). An unknown sender or legal
    /// type still translates — to an authority or instrument the policy does not know —
    /// so that `plan` shows the failed check; structural problems throw.
    public static func request(from message: HI1Request, policy: Policy, file: String) throws -> Request {
        func fail(_ field: String?, _ message: String, hint: String? = nil) -> InputError {
            InputError(file: file, field: field, message: message, hint: hint)
        }
        guard let me = policy.hi1Receiver else {
            throw fail(nil, "the policy has no hi1_receiver, so HI-1 messages cannot be checked as addressed to this provider",
                       hint: "add \"hi1_receiver\": {\"country_code\": \"…\", \"unique_identifier\": \"…\"} to the policy")
        }
        guard message.receiver == me else {
            throw fail("/HI1Message/Header/ReceiverIdentifier", "the message is addressed to \(message.receiver), not to this provider (\(me))")
        }
        for t in message.tasks {
            if let csp = t.cspID, csp != me { throw fail("LDTask \(t.label)", "the task's CSPID is \(csp), not this provider (\(me))") }
        }
        let auth = message.authorisation
        let authority = policy.authorities.values.first { $0.hi1Sender == message.sender }?.id ?? "hi1:\(message.sender)"
        let legalKey = auth.legalType.map { "\($0.owner)/\($0.value)" } ?? "none"
        let type = policy.hi1LegalTypes[legalKey] ?? "hi1:\(legalKey)"
        let role = auth.approverRoles.first.map(normalizedRole) ?? "unspecified"
        guard let issued = auth.approvalTimes.first ?? auth.created ?? auth.start else {
            throw fail("AuthorisationObject", "the authorisation states no issue time (ApprovalTimestamp, AuthorisationCreationTimestamp or Timespan/StartTime)")
        }
        let scopes = try taskScopes(message, file: file)
        var subjects: [Request.Subject] = []
        for s in scopes.flatMap(\.subjects) where !subjects.contains(s) { subjects.append(s) }
        let categories = scopes.reduce(into: Set<DataCategory>()) { $0.formUnion($1.categories) }
        let from = scopes.map(\.window.lowerBound).min()!, to = scopes.map(\.window.upperBound).max()!
        for s in subjects {
            for c in categories.sorted() where !scopes.contains(where: { $0.subjects.contains(s) && $0.categories.contains(c) && $0.window.lowerBound <= from && $0.window.upperBound >= to }) {
                throw fail("LDTask", "folding the tasks into one case would widen a task's scope: no task asks for \(c.rawValue) data about the \(s.kind.rawValue) subject '\(s.value)' over the whole window \(from) – \(to)",
                           hint: "Disclose answers one HI-1 message as one case; ask the authority for tasks with the same identifiers, window and request types, or for separate messages")
            }
        }
        let emergencyFlag = auth.flags.contains { $0.value == "IsEmergency" } || auth.approvalIsEmergency
            || message.tasks.contains { $0.flags.contains { $0.value == "IsEmergency" } }
        let emergency = emergencyFlag ? Request.Emergency(statement: auth.manualInformation ?? "The HI-1 message is flagged IsEmergency", callbackAttestation: nil) : nil
        let request = Request(id: "hi1-" + auth.objectIdentifier, received: message.timestamp, authority: authority,
                              instrument: Request.Instrument(type: type, reference: auth.reference ?? auth.objectIdentifier, issuerRole: role,
                                                             issued: issued, expires: auth.end),
                              subjects: subjects, window: from...to, categories: categories, fields: nil,
                              thirdPartiesUnredacted: false, emergency: emergency,
                              windowAsSent: Request.WindowText(from: from.description, to: to.description),
                              timeZone: policy.authorities[authority]?.timeZone)
        if let e = auth.end, e < issued { throw fail("AuthorisationTimespan", "the authorisation ends before it was issued") }
        return request
    }

    /// `Investigating judge` → `investigating_judge`: ApproverRole is free text; the
    /// policy's issuer rules use snake-case roles.
    public static func normalizedRole(_ role: String) -> String {
        role.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" }).joined(separator: "_")
    }

    /// Each task's own scope: categories, subjects and window.
    public static func taskScopes(_ message: HI1Request, file: String) throws -> [HI1TaskScope] {
        try message.tasks.map { t in
            func fail(_ m: String, hint: String? = nil) -> InputError { InputError(file: file, field: "LDTask \(t.label)", message: m, hint: hint) }
            guard let rt = t.requestType else {
                throw fail("RequestDetails has no Type: Disclose needs to know which data the task asks for",
                           hint: "Type is an ETSI RequestType: SubscriberData, UserIdentifyingData, TrafficData or StoredContentData")
            }
            guard rt.name == "RequestType", let category = requestTypes[rt.value] else {
                throw fail("request type \(rt.owner)/\(rt.name)/\(rt.value) is not one Disclose maps",
                           hint: "use RequestType SubscriberData, UserIdentifyingData, TrafficData or StoredContentData")
            }
            let window: ClosedRange<Instant>
            switch (t.start, t.end) {
            case let (s?, e?):
                guard s <= e else { throw fail("EndTime is before StartTime (inverted window)") }
                window = s...e
            case (nil, nil):
                guard let lo = t.observedTimes.min(), let hi = t.observedTimes.max() else {
                    throw fail("the task gives no StartTime/EndTime and no ObservedTimes: there is no time window")
                }
                window = lo...hi
            default:
                throw fail("the task gives only one of StartTime and EndTime")
            }
            guard !t.values.isEmpty else { throw fail("the task has no RequestValues: nobody is named") }
            var subjects: [Request.Subject] = []
            for v in t.values {
                guard v.formatOwner == "ETSI" else { throw fail("format \(v.formatOwner)/\(v.formatName) is not supported (only ETSI formats)") }
                switch v.formatName {
                case "EmailAddress":
                    guard v.value.contains("@"), v.value.utf8.count <= 255 else { throw fail("'\(v.formatName)' value is not an email address") }
                    subjects.append(Request.Subject(kind: .email, value: v.value, time: nil))
                case "InternationalE164":
                    guard (1...15).contains(v.value.count), v.value.allSatisfy(\.isASCII), v.value.allSatisfy(\.isNumber) else {
                        throw fail("an InternationalE164 value is 1 to 15 digits, without '+'")
                    }
                    subjects.append(Request.Subject(kind: .phone, value: "+" + v.value, time: nil))
                case "IPv4Address", "IPv6Address":
                    guard !t.observedTimes.isEmpty else {
                        throw fail("an IP address identifies nobody without the time it was observed", hint: "give ObservedTime or ObservedTimes in RequestDetails")
                    }
                    let kind: IdentifierKind = v.formatName == "IPv4Address" ? .ipv4 : .ipv6
                    for time in t.observedTimes { subjects.append(Request.Subject(kind: kind, value: v.value, time: time)) }
                default:
                    throw fail("format \(v.formatName) is not supported (EmailAddress, InternationalE164, IPv4Address, IPv6Address are)")
                }
            }
            return HI1TaskScope(task: t, categories: [category], subjects: subjects, window: window)
        }
    }
}

/// What one LDTask asks for, in Disclose's terms.
public struct HI1TaskScope: Sendable {
    /// The task as read.
    public var task: HI1Request.Task
    /// Its categories (one per ETSI RequestType).
    public var categories: Set<DataCategory>
    /// Its subjects (an IP address once per observed time).
    public var subjects: [Request.Subject]
    /// Its window: StartTime–EndTime, or the span of its observed times.
    public var window: ClosedRange<Instant>
}
