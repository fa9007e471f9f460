import Primitives
/// An authority's UPDATE of a request it sent: a message whose ActionRequests are all
/// UPDATEs of the request's AuthorisationObject or LDTaskObjects (same ObjectIdentifier),
/// each carrying the object as it now stands (an extended validity, a changed window, …).
/// `HI1UpdateReader` reads it; `apply` gives the request as updated, which `HI1Mapping`
/// turns into the case's new request (`HI1UpdateDiff` shows what changed).
public struct HI1Update: Sendable {
    /// Header SenderIdentifier (must be the request's sender).
    public var sender: HI1Request.Endpoint
    /// Header ReceiverIdentifier.
    public var receiver: HI1Request.Endpoint
    /// Header TransactionIdentifier.
    public var transactionIdentifier: String
    /// Header Timestamp.
    public var timestamp: Instant
    /// The updated authorisation, if the message updates it.
    public var authorisation: HI1Request.Authorisation?
    /// The updated tasks.
    public var tasks: [HI1Request.Task]

    /// The request with the updated objects in place of the old ones. Refuses an update
    /// from another sender or of an object the request does not hold.
    public func apply(to request: HI1Request, file: String) throws -> HI1Request {
        guard sender == request.sender else {
            throw HI1Error(file: file, field: "/HI1Message/Header/SenderIdentifier",
                             message: "the update comes from \(sender), but the request from \(request.sender): only the sender may update its request")
        }
        guard receiver == request.receiver else {
            throw HI1Error(file: file, field: "/HI1Message/Header/ReceiverIdentifier", message: "the update is addressed to \(receiver), the request to \(request.receiver)")
        }
        var updated = request
        if let a = authorisation {
            guard a.objectIdentifier == request.authorisation.objectIdentifier else {
                throw HI1Error(file: file, field: "AuthorisationObject", message: "the update's AuthorisationObject \(a.objectIdentifier) is not the request's (\(request.authorisation.objectIdentifier))")
            }
            updated.authorisation = a
        }
        for t in tasks {
            guard let i = updated.tasks.firstIndex(where: { $0.objectIdentifier == t.objectIdentifier }) else {
                throw HI1Error(file: file, field: "LDTask \(t.label)", message: "the request holds no LDTaskObject \(t.objectIdentifier) to update")
            }
            guard t.associated.contains(request.authorisation.objectIdentifier) else {
                throw HI1Error(file: file, field: "LDTask \(t.label)", message: "the updated task is not associated with the request's AuthorisationObject")
            }
            updated.tasks[i] = t
        }
        updated.timestamp = max(request.timestamp, timestamp)
        return updated
    }
}

/// Reads an UPDATE message strictly, like `HI1Reader` reads a request: the same header,
/// the same object structure, but every ActionRequest an UPDATE of an AuthorisationObject
/// or an LDTaskObject (at most one authorisation; each task once).
public enum HI1UpdateReader {
    private typealias Slot = XMLSequence.Slot

    /// Parses and reads an UPDATE message.
    public static func read(_ bytes: [UInt8], file: String) throws -> HI1Update {
        let core = HI1Namespace.core
        let root = try StrictXML.parse(bytes, file: file)
        guard root.name == "HI1Message", root.namespace == core else {
            throw XMLSequence.fail(root, file, "the root element is {\(root.namespace)}\(root.name), not an ETSI TS 103 120 HI1Message")
        }
        let top = try XMLSequence(root, file: file, [Slot(namespace: core, name: "Header", min: 1), Slot(namespace: core, name: "Payload", min: 1),
                                                     Slot(namespace: core, name: "Signature"), Slot(namespace: HI1Namespace.xmldsig, name: "Signature")])
        let header = try XMLSequence(top.required("Header"), file: file, [
            Slot(namespace: core, name: "SenderIdentifier", min: 1), Slot(namespace: core, name: "ReceiverIdentifier", min: 1),
            Slot(namespace: core, name: "TransactionIdentifier", min: 1), Slot(namespace: core, name: "Timestamp", min: 1),
            Slot(namespace: core, name: "Version", min: 1)])
        let payload = try XMLSequence(top.required("Payload"), file: file, [Slot(namespace: core, name: "RequestPayload", min: 1)])
        let rp = try XMLSequence(payload.required("RequestPayload"), file: file, [Slot(namespace: core, name: "ActionRequests", min: 1)])
        let actions = try XMLSequence(rp.required("ActionRequests"), file: file, [Slot(namespace: core, name: "ActionRequest", min: 1, max: .max)])
        var authorisation: HI1Request.Authorisation?
        var tasks: [HI1Request.Task] = []
        var ids = Set<Int>()
        for a in actions.all("ActionRequest") {
            let action = try XMLSequence(a, file: file, [Slot(namespace: core, name: "ActionIdentifier", min: 1), Slot(namespace: core, name: "UPDATE", min: 1)])
            guard let id = Int(try action.text("ActionIdentifier") ?? ""), id >= 0, ids.insert(id).inserted else {
                throw action.fail("ActionIdentifier must be a non-negative integer, used once")
            }
            let update = try XMLSequence(action.required("UPDATE"), file: file, [Slot(namespace: core, name: "HI1Object", min: 1)])
            let object = update.required("HI1Object")
            let type = try XMLSequence.objectType(object, file)
            switch (type.namespace, type.name) {
            case (HI1Namespace.authorisation, "AuthorisationObject"):
                guard authorisation == nil else { throw XMLSequence.fail(object, file, "a second AuthorisationObject in one update") }
                authorisation = try HI1Reader.readAuthorisation(object, id, file)
            case (HI1Namespace.task, "LDTaskObject"):
                let t = try HI1Reader.readTask(object, id, file)
                guard !tasks.contains(where: { $0.objectIdentifier == t.objectIdentifier }) else { throw XMLSequence.fail(object, file, "LDTask \(t.label) is updated twice") }
                tasks.append(t)
            default:
                throw XMLSequence.fail(object, file, "an UPDATE of {\(type.namespace)}\(type.name) is not handled (AuthorisationObject and LDTaskObject are)")
            }
        }
        return HI1Update(sender: try HI1Reader.endpoint(header.required("SenderIdentifier"), file), receiver: try HI1Reader.endpoint(header.required("ReceiverIdentifier"), file),
                         transactionIdentifier: try HI1Reader.uuid(header.required("TransactionIdentifier"), file),
                         timestamp: try header.time("Timestamp")!, authorisation: authorisation, tasks: tasks)
    }
}
