import Primitives
import Foundation
import Sodium

/// Reads an HI-1 request message into an `HI1Request`, following the structure of the
/// ETSI TS 103 120 V1.12.1 schemas: every element we meet must be where the schema puts
/// it, in order; anything else is refused with its element path. Only CREATE actions
/// carrying an AuthorisationObject, LDTaskObjects and DocumentObjects are accepted — the
/// parts of HI-1 that make a lawful disclosure request. Elements the schema allows but
/// Disclose does not use (delivery details, national parameters, …) are accepted and
/// ignored without being validated further.
public enum HI1Reader {
    private typealias Slot = XMLSequence.Slot
    private static let core = HI1Namespace.core, common = HI1Namespace.common
    private static let task = HI1Namespace.task, auth = HI1Namespace.authorisation, doc = HI1Namespace.document

    /// Parses and reads a message.
    public static func read(_ bytes: [UInt8], file: String, limits: StrictXML.Limits = StrictXML.Limits()) throws -> HI1Request {
        try read(StrictXML.parse(bytes, file: file, limits: limits), file: file)
    }

    /// Reads a parsed message.
    public static func read(_ root: StrictXML.Element, file: String) throws -> HI1Request {
        guard root.name == "HI1Message", root.namespace == core else {
            throw XMLSequence.fail(root, file, "the root element is {\(root.namespace)}\(root.name), not an ETSI TS 103 120 HI1Message",
                                   hint: "expected <HI1Message xmlns=\"\(core)\">")
        }
        let top = try XMLSequence(root, file: file, [Slot(namespace: core, name: "Header", min: 1), Slot(namespace: core, name: "Payload", min: 1),
                                                     Slot(namespace: core, name: "Signature"), Slot(namespace: HI1Namespace.xmldsig, name: "Signature")])
        let header = try XMLSequence(top.required("Header"), file: file, [
            Slot(namespace: core, name: "SenderIdentifier", min: 1), Slot(namespace: core, name: "ReceiverIdentifier", min: 1),
            Slot(namespace: core, name: "TransactionIdentifier", min: 1), Slot(namespace: core, name: "Timestamp", min: 1),
            Slot(namespace: core, name: "Version", min: 1)])
        let version = try XMLSequence(header.required("Version"), file: file, [
            Slot(namespace: core, name: "ETSIVersion", min: 1), Slot(namespace: core, name: "NationalProfileOwner", min: 1),
            Slot(namespace: core, name: "NationalProfileVersion", min: 1)])
        let transaction = try uuid(header.required("TransactionIdentifier"), file)
        let payload = try XMLSequence(top.required("Payload"), file: file, [Slot(namespace: core, name: "RequestPayload"), Slot(namespace: core, name: "ResponsePayload")])
        guard let rp = payload.optional("RequestPayload") else {
            throw payload.fail("the payload is a ResponsePayload; Disclose reads requests", hint: "give the authority's request message")
        }
        let requests = try XMLSequence(rp, file: file, [Slot(namespace: core, name: "ActionRequests", min: 1)])
        let actions = try XMLSequence(requests.required("ActionRequests"), file: file, [Slot(namespace: core, name: "ActionRequest", min: 1, max: .max)])

        var authorisation: HI1Request.Authorisation?
        var tasks: [HI1Request.Task] = []
        var documents: [HI1Request.Document] = []
        var actionIDs = Set<Int>()
        for a in actions.all("ActionRequest") {
            let verbs = ["GET", "CREATE", "UPDATE", "LIST", "DELIVER"]
            let action = try XMLSequence(a, file: file, [Slot(namespace: core, name: "ActionIdentifier", min: 1)] + verbs.map { Slot(namespace: core, name: $0) })
            let idText = try action.text("ActionIdentifier") ?? ""
            guard let actionID = Int(idText), actionID >= 0 else { throw XMLSequence.fail(action.required("ActionIdentifier"), file, "ActionIdentifier must be a non-negative integer") }
            guard actionIDs.insert(actionID).inserted else { throw XMLSequence.fail(a, file, "ActionIdentifier \(actionID) is used twice") }
            let present = verbs.filter { action.optional($0) != nil }
            guard present.count == 1 else { throw action.fail("an ActionRequest holds exactly one of \(verbs.joined(separator: ", "))") }
            guard present[0] == "CREATE" else {
                throw action.fail("\(present[0]) actions are not handled: a disclosure request CREATEs an AuthorisationObject and its LDTaskObjects")
            }
            let create = try XMLSequence(action.required("CREATE"), file: file, [Slot(namespace: core, name: "HI1Object", min: 1)])
            let object = create.required("HI1Object")
            let type = try XMLSequence.objectType(object, file)
            switch (type.namespace, type.name) {
            case (auth, "AuthorisationObject"):
                guard authorisation == nil else { throw XMLSequence.fail(object, file, "a second AuthorisationObject: one message, one instrument") }
                authorisation = try readAuthorisation(object, actionID, file)
            case (task, "LDTaskObject"):
                tasks.append(try readTask(object, actionID, file))
            case (doc, "DocumentObject"):
                documents.append(try readDocument(object, actionID, file))
            default:
                throw XMLSequence.fail(object, file, "object type {\(type.namespace)}\(type.name) is not handled (AuthorisationObject, LDTaskObject, DocumentObject are)")
            }
        }
        guard let authorisation else { throw actions.fail("the message has no AuthorisationObject: there is no instrument to check") }
        guard !tasks.isEmpty else { throw actions.fail("the message has no LDTaskObject: nothing is requested") }
        var refs = Set<String>()
        for t in tasks {
            guard t.associated.contains(authorisation.objectIdentifier) else {
                throw actions.fail("LDTask \(t.label) is not associated with the AuthorisationObject \(authorisation.objectIdentifier)",
                                   hint: "each LDTaskObject lists the authorisation in AssociatedObjects")
            }
            guard refs.insert(t.label).inserted else { throw actions.fail("two LDTaskObjects share the reference \(t.label)") }
        }
        return HI1Request(sender: try endpoint(header.required("SenderIdentifier"), file), receiver: try endpoint(header.required("ReceiverIdentifier"), file),
                          transactionIdentifier: transaction, timestamp: try header.time("Timestamp")!,
                          etsiVersion: try version.text("ETSIVersion") ?? "", authorisation: authorisation, tasks: tasks, documents: documents)
    }

    // MARK: objects

    /// HI1Object base elements (Core namespace), followed by the extension's own.
    private static func objectSlots(_ ns: String, _ own: [(String, Int)]) -> [Slot] {
        ["ObjectIdentifier", "CountryCode", "OwnerIdentifier", "Generation", "ExternalIdentifier", "AssociatedObjects", "LastChanged", "NationalHandlingParameters"]
            .enumerated().map { Slot(namespace: core, name: $1, min: $0 == 0 ? 1 : 0) }
            + own.map { Slot(namespace: ns, name: $0.0, max: $0.1) }
    }

    private static func associated(_ s: XMLSequence, _ file: String) throws -> [String] {
        guard let a = s.optional("AssociatedObjects") else { return [] }
        let list = try XMLSequence(a, file: file, [Slot(namespace: core, name: "AssociatedObject", max: .max)])
        return try list.all("AssociatedObject").map { try uuid($0, file) }
    }

    static func readAuthorisation(_ e: StrictXML.Element, _ actionID: Int, _ file: String) throws -> HI1Request.Authorisation {
        let s = try XMLSequence(e, file: file, objectSlots(auth, [
            ("AuthorisationReference", 1), ("AuthorisationLegalType", 1), ("AuthorisationPriority", 1), ("AuthorisationStatus", 1),
            ("AuthorisationDesiredStatus", 1), ("AuthorisationTimespan", 1), ("AuthorisationCSPID", 1), ("AuthorisationCreationTimestamp", 1),
            ("AuthorisationServedTimestamp", 1), ("AuthorisationTerminationTimestamp", 1), ("AuthorisationApprovalDetails", .max),
            ("AuthorisationInvalidReason", 1), ("AuthorisationFlags", 1), ("AuthorisationManualInformation", 1),
            ("NationalAuthorisationParameters", 1), ("AuthorisationJurisdiction", 1), ("AuthorisationTypeOfCase", 1), ("AuthorisationLegalEntity", 1)]))
        var start: Instant?, end: Instant?
        if let ts = s.optional("AuthorisationTimespan") {
            let t = try XMLSequence(ts, file: file, [Slot(namespace: auth, name: "StartTime"), Slot(namespace: auth, name: "EndTime")])
            start = try t.time("StartTime"); end = try t.time("EndTime")
        }
        var flags: [HI1Request.DictionaryEntry] = []
        if let f = s.optional("AuthorisationFlags") {
            let fs = try XMLSequence(f, file: file, [Slot(namespace: auth, name: "AuthorisationFlag", max: .max)])
            flags = try fs.all("AuthorisationFlag").map { try entry($0, file) }
        }
        var roles: [String] = [], times: [Instant] = [], emergency = false
        for a in s.all("AuthorisationApprovalDetails") {
            let d = try approval(a, file)
            if let r = d.role { roles.append(r) }
            if let t = d.time { times.append(t) }
            emergency = emergency || d.emergency
        }
        return HI1Request.Authorisation(objectIdentifier: try uuid(s.required("ObjectIdentifier"), file), actionIdentifier: actionID,
                                        reference: try s.text("AuthorisationReference"),
                                        legalType: try s.optional("AuthorisationLegalType").map { try entry($0, file) },
                                        start: start, end: end, created: try s.time("AuthorisationCreationTimestamp"), flags: flags,
                                        approverRoles: roles, approvalTimes: times, approvalIsEmergency: emergency,
                                        manualInformation: try s.text("AuthorisationManualInformation"), associated: try associated(s, file))
    }

    private static func approval(_ e: StrictXML.Element, _ file: String) throws -> (role: String?, time: Instant?, emergency: Bool) {
        let s = try XMLSequence(e, file: file, ["ApprovalType", "ApprovalDescription", "ApprovalReference", "ApproverDetails", "ApprovalTimestamp",
                                                "ApprovalIsEmergency", "ApprovalDigitalSignature", "ApprovalNationalDetails"].map { Slot(namespace: common, name: $0) })
        var role: String?
        if let d = s.optional("ApproverDetails") {
            let ds = try XMLSequence(d, file: file, [Slot(namespace: common, name: "ApproverName"), Slot(namespace: common, name: "ApproverRole"),
                                                     Slot(namespace: common, name: "ApproverIdentity"), Slot(namespace: common, name: "ApproverContactDetails", max: .max)])
            role = try ds.text("ApproverRole")
        }
        var emergency = false
        if let em = s.optional("ApprovalIsEmergency") {
            let v = try XMLSequence.text(em, file: file)
            guard ["true", "false", "1", "0"].contains(v) else { throw XMLSequence.fail(em, file, "expected a boolean (true or false)") }
            emergency = v == "true" || v == "1"
        }
        return (role, try s.time("ApprovalTimestamp"), emergency)
    }

    static func readTask(_ e: StrictXML.Element, _ actionID: Int, _ file: String) throws -> HI1Request.Task {
        let s = try XMLSequence(e, file: file, objectSlots(task, [
            ("Reference", 1), ("Status", 1), ("StatusReason", 1), ("DesiredStatus", 1), ("RequestDetails", 1), ("DeliveryDetails", 1),
            ("ApprovalDetails", .max), ("CSPID", 1), ("HandlingProfile", 1), ("Flags", 1), ("NationalLDTaskingParameters", 1)]))
        let reference = try s.text("Reference")
        if let r = reference, let el = s.optional("Reference"), !(r.count >= 6 && r.range(of: "^[A-Z]{2}-.+-.+$", options: .regularExpression) != nil) {
            throw XMLSequence.fail(el, file, "an LDID has the form CC-AUTHORITY-NUMBER (ETSI TS 103 280 LDID)")
        }
        guard let rdElement = s.optional("RequestDetails") else {
            throw s.fail("the LDTaskObject has no RequestDetails: nothing says what is requested")
        }
        let rd = try XMLSequence(rdElement, file: file, [
            Slot(namespace: task, name: "Type"), Slot(namespace: task, name: "StartTime"), Slot(namespace: task, name: "EndTime"),
            Slot(namespace: task, name: "ObservedTime"), Slot(namespace: task, name: "ObservedTimes", max: .max),
            Slot(namespace: task, name: "RequestValues"), Slot(namespace: task, name: "Subtype")])
        var observed: [Instant] = []
        if let o = try rd.time("ObservedTime") { observed.append(o) }
        for o in rd.all("ObservedTimes") { observed.append(try XMLSequence.time(o, file: file)) }
        var values: [HI1Request.Value] = []
        if let rv = rd.optional("RequestValues") {
            let list = try XMLSequence(rv, file: file, [Slot(namespace: task, name: "RequestValue", min: 1, max: .max)])
            for v in list.all("RequestValue") {
                let vs = try XMLSequence(v, file: file, [Slot(namespace: task, name: "FormatType", min: 1), Slot(namespace: task, name: "Value", min: 1)])
                let ft = try XMLSequence(vs.required("FormatType"), file: file, [Slot(namespace: task, name: "FormatOwner", min: 1), Slot(namespace: task, name: "FormatName", min: 1)])
                values.append(HI1Request.Value(formatOwner: try ft.text("FormatOwner")!, formatName: try ft.text("FormatName")!, value: try vs.text("Value")!))
            }
        }
        var flags: [HI1Request.DictionaryEntry] = []
        if let f = s.optional("Flags") {
            let fs = try XMLSequence(f, file: file, [Slot(namespace: task, name: "LDTaskFlag", max: .max)])
            flags = try fs.all("LDTaskFlag").map { try entry($0, file) }
        }
        return HI1Request.Task(objectIdentifier: try uuid(s.required("ObjectIdentifier"), file), actionIdentifier: actionID, reference: reference,
                               requestType: try rd.optional("Type").map { try entry($0, file) }, start: try rd.time("StartTime"), end: try rd.time("EndTime"),
                               observedTimes: observed, values: values, flags: flags,
                               cspID: try s.optional("CSPID").map { try endpoint($0, file) }, associated: try associated(s, file))
    }

    private static func readDocument(_ e: StrictXML.Element, _ actionID: Int, _ file: String) throws -> HI1Request.Document {
        let s = try XMLSequence(e, file: file, objectSlots(doc, [
            ("DocumentReference", 1), ("DocumentName", 1), ("DocumentStatus", 1), ("DocumentDesiredStatus", 1), ("DocumentTimespan", 1),
            ("DocumentType", 1), ("DocumentProperties", 1), ("DocumentBody", 1), ("DocumentSignature", .max), ("DocumentInvalidReason", 1),
            ("NationalDocumentParameters", 1)]))
        var contentType: String?, bytes: Int?, digest: String?
        if let b = s.optional("DocumentBody") {
            let body = try XMLSequence(b, file: file, ["Contents", "ContentType", "Checksum", "ChecksumType"].map { Slot(namespace: doc, name: $0) })
            contentType = try body.text("ContentType")
            if let c = body.optional("Contents") {
                let text = try XMLSequence.text(c, file: file).filter { !$0.isWhitespace }
                guard let data = Base64.padded.decode(text) else { throw XMLSequence.fail(c, file, "DocumentBody/Contents is not valid base64") }
                bytes = data.count
                digest = Hex.encode(SHA512.hash(data))
                if let sum = try body.text("Checksum") {
                    let type = (try body.text("ChecksumType") ?? "").uppercased().replacingOccurrences(of: "-", with: "")
                    let ours: String? = type == "SHA512" ? digest : type == "SHA256" ? Hex.encode(SHA256.hash(data)) : nil
                    if let ours, ours != sum.lowercased() {
                        throw XMLSequence.fail(b, file, "the document's \(type) Checksum does not match its Contents")
                    }
                }
            }
        }
        return HI1Request.Document(objectIdentifier: try uuid(s.required("ObjectIdentifier"), file), actionIdentifier: actionID, reference: try s.text("DocumentReference"),
                                   name: try s.text("DocumentName"), type: try s.optional("DocumentType").map { try entry($0, file).value },
                                   contentType: contentType, bytes: bytes, sha512: digest)
    }

    // MARK: simple types

    private static func entry(_ e: StrictXML.Element, _ file: String) throws -> HI1Request.DictionaryEntry {
        let s = try XMLSequence(e, file: file, ["Owner", "Name", "Value"].map { Slot(namespace: common, name: $0, min: 1) })
        return HI1Request.DictionaryEntry(owner: try s.text("Owner")!, name: try s.text("Name")!, value: try s.text("Value")!)
    }

    static func endpoint(_ e: StrictXML.Element, _ file: String) throws -> HI1Request.Endpoint {
        let s = try XMLSequence(e, file: file, [Slot(namespace: core, name: "CountryCode", min: 1), Slot(namespace: core, name: "UniqueIdentifier", min: 1)])
        let cc = try s.text("CountryCode")!
        guard cc.utf8.count == 2, cc.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
            throw XMLSequence.fail(s.required("CountryCode"), file, "expected a two-letter ISO 3166 country code in capitals")
        }
        return HI1Request.Endpoint(countryCode: cc, uniqueIdentifier: try s.text("UniqueIdentifier")!)
    }

    static func uuid(_ e: StrictXML.Element, _ file: String) throws -> String {
        let v = try XMLSequence.text(e, file: file)
        guard v.range(of: "^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$", options: .regularExpression) != nil else {
            throw XMLSequence.fail(e, file, "expected a lowercase UUID (ETSI TS 103 280 UUID)")
        }
        return v
    }
}
