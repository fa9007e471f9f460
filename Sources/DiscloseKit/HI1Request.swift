/// An ETSI TS 103 120 (HI-1) request message as Disclose reads it: the header's
/// endpoints, the AuthorisationObject, each LDTaskObject and the DocumentObjects (the
/// warrant, kept by digest). `HI1Reader` builds it; `HI1Mapping` turns it into a `Request`;
/// `HI1Answer` answers it per task.
public struct HI1Request: Sendable {
    /// An HI-1 endpoint (`SenderIdentifier`, `ReceiverIdentifier`, `CSPID`).
    public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
        /// ISO 3166 country code.
        public var countryCode: String
        /// The endpoint's unique identifier within the country.
        public var uniqueIdentifier: String
        /// Builds an endpoint.
        public init(countryCode: String, uniqueIdentifier: String) {
            self.countryCode = countryCode; self.uniqueIdentifier = uniqueIdentifier
        }
        /// `CC/UniqueIdentifier`.
        public var description: String { "\(countryCode)/\(uniqueIdentifier)" }
    }

    /// An ETSI dictionary entry (`Owner`, `Name`, `Value`).
    public struct DictionaryEntry: Sendable, Equatable {
        /// Who defines the dictionary (`ETSI`, a country code, …).
        public var owner: String
        /// The dictionary's name (`RequestType`, `AuthorisationLegalType`, …).
        public var name: String
        /// The entry.
        public var value: String
    }

    /// The AuthorisationObject: the legal instrument.
    public struct Authorisation: Sendable {
        /// Its ObjectIdentifier (UUID).
        public var objectIdentifier: String
        /// The ActionIdentifier of the CREATE that carried it.
        public var actionIdentifier: Int
        /// AuthorisationReference (the warrant or order number).
        public var reference: String?
        /// AuthorisationLegalType.
        public var legalType: DictionaryEntry?
        /// AuthorisationTimespan start and end (validity of the instrument).
        public var start: Instant?
        /// End of the timespan: when the instrument stops being valid.
        public var end: Instant?
        /// AuthorisationCreationTimestamp.
        public var created: Instant?
        /// AuthorisationFlag values (e.g. `IsEmergency`).
        public var flags: [DictionaryEntry]
        /// Approver roles, in order (ApprovalDetails/ApproverDetails/ApproverRole).
        public var approverRoles: [String]
        /// Approval timestamps, in order.
        public var approvalTimes: [Instant]
        /// True when any ApprovalDetails says ApprovalIsEmergency.
        public var approvalIsEmergency: Bool
        /// AuthorisationManualInformation (free text).
        public var manualInformation: String?
        /// AssociatedObjects (e.g. the warrant document).
        public var associated: [String]
    }

    /// One RequestValue: a subject identifier in an ETSI format.
    public struct Value: Sendable, Equatable {
        /// FormatOwner (`ETSI`).
        public var formatOwner: String
        /// FormatName (`EmailAddress`, `InternationalE164`, `IPv4Address`, `IPv6Address`).
        public var formatName: String
        /// The value.
        public var value: String
    }

    /// One LDTaskObject: a request for stored data about some identifiers.
    public struct Task: Sendable {
        /// Its ObjectIdentifier (UUID).
        public var objectIdentifier: String
        /// The ActionIdentifier of the CREATE that carried it.
        public var actionIdentifier: Int
        /// Reference: the LDID (`CC-AUTHORITY-NUMBER`).
        public var reference: String?
        /// RequestDetails/Type (`SubscriberData`, `TrafficData`, …).
        public var requestType: DictionaryEntry?
        /// RequestDetails/StartTime.
        public var start: Instant?
        /// RequestDetails/EndTime.
        public var end: Instant?
        /// RequestDetails/ObservedTime and ObservedTimes, in order.
        public var observedTimes: [Instant]
        /// RequestDetails/RequestValues.
        public var values: [Value]
        /// LDTaskFlag entries.
        public var flags: [DictionaryEntry]
        /// CSPID, when given: the provider the task is for.
        public var cspID: Endpoint?
        /// AssociatedObjects.
        public var associated: [String]

        /// How the task is named in messages: its LDID, else its object identifier.
        public var label: String { reference ?? objectIdentifier }
    }

    /// One DocumentObject (the warrant or order), kept by digest.
    public struct Document: Sendable {
        /// Its ObjectIdentifier.
        public var objectIdentifier: String
        /// The ActionIdentifier of the CREATE that carried it.
        public var actionIdentifier: Int
        /// DocumentReference.
        public var reference: String?
        /// DocumentName.
        public var name: String?
        /// DocumentType value (`Warrant`, …).
        public var type: String?
        /// DocumentBody/ContentType.
        public var contentType: String?
        /// Size of the decoded DocumentBody/Contents, when present.
        public var bytes: Int?
        /// Hex SHA-512 of the decoded contents, when present.
        public var sha512: String?
    }

    /// Header SenderIdentifier: the requesting authority.
    public var sender: Endpoint
    /// Header ReceiverIdentifier: should be this provider.
    public var receiver: Endpoint
    /// Header TransactionIdentifier (UUID).
    public var transactionIdentifier: String
    /// Header Timestamp.
    public var timestamp: Instant
    /// Header Version / ETSIVersion (`V1.12.1`).
    public var etsiVersion: String
    /// The authorisation.
    public var authorisation: Authorisation
    /// The tasks, in message order.
    public var tasks: [Task]
    /// The documents, in message order.
    public var documents: [Document]
}
