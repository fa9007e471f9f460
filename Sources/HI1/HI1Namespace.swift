import Primitives

/// The namespaces of ETSI TS 103 120 V1.12.1 and those it uses.
public enum HI1Namespace {
    /// Core: HI1Message, Header, Payload, actions.
    public static let core = "http://uri.etsi.org/03120/common/2019/10/Core"
    /// Common: DictionaryEntry, ApprovalDetails.
    public static let common = "http://uri.etsi.org/03120/common/2016/02/Common"
    /// Task: LDTaskObject.
    public static let task = "http://uri.etsi.org/03120/common/2020/09/Task"
    /// Authorisation: AuthorisationObject.
    public static let authorisation = "http://uri.etsi.org/03120/common/2020/09/Authorisation"
    /// Document: DocumentObject.
    public static let document = "http://uri.etsi.org/03120/common/2020/09/Document"
    /// Delivery: DeliveryObject.
    public static let delivery = "http://uri.etsi.org/03120/common/2019/10/Delivery"
    /// Notification: NotificationObject.
    public static let notification = "http://uri.etsi.org/03120/common/2016/02/Notification"
    /// XML Schema instance (`xsi:type`).
    public static let xsi = "http://www.w3.org/2001/XMLSchema-instance"
    /// XML Signature.
    public static let xmldsig = "http://www.w3.org/2000/09/xmldsig#"
}
