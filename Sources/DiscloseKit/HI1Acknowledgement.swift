/// The acknowledgement of a request message: a ResponsePayload with one `CREATEResponse`
/// per ActionRequest, naming the object it created (the authorisation, each task, each
/// document) — the receipt of each object and nothing else: no status, no data. It is
/// sent as soon as the request is imported (`respond --acknowledge`, `case receive
/// --acknowledge`), before any decision. The TransactionIdentifier is the request's,
/// as ETSI pairs a response with its request.
public enum HI1Acknowledgement {
    /// The acknowledgement of `request`, from this provider (`from`) to its sender.
    public static func message(request: HI1Request, from: HI1Request.Endpoint, now: Instant) -> String {
        var objects: [(action: Int, id: String)] = [(request.authorisation.actionIdentifier, request.authorisation.objectIdentifier)]
        objects += request.tasks.map { ($0.actionIdentifier, $0.objectIdentifier) }
        objects += request.documents.map { ($0.actionIdentifier, $0.objectIdentifier) }
        return HI1Envelope.message(from: from, to: request.sender, transaction: request.transactionIdentifier, now: now, payload: .response) { w in
            for o in objects.sorted(by: { $0.action < $1.action }) {
                w.element("ActionResponse") { w in
                    w.leaf("ActionIdentifier", String(o.action))
                    w.element("CREATEResponse") { $0.leaf("Identifier", o.id) }
                }
            }
        }
    }
}
