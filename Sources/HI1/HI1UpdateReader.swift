import Primitives

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
