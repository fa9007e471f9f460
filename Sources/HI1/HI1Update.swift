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
