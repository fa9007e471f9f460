import Sodium

/// One part of a delivery in parts, as read from its HI-1 message (`HI1DeliveryParts`
/// writes them). Reading checks the message's structure strictly (one DELIVER of one
/// DeliveryObject) and decodes the part; it does not judge the part against the others —
/// that is `HI1DeliveryAssembly`.
public struct HI1DeliveryPart: Sendable {
    /// The file it was read from.
    public var file: String
    /// `DeliveryID`: the bundle's id.
    public var deliveryID: String
    /// `SequenceNumber` (1-based).
    public var sequence: Int
    /// `LastSequence`.
    public var last: Bool
    /// The part manifest (total, sizes, whole digest, previous part's digest).
    public var manifest: HI1PartManifest
    /// The declared `Checksum` (hex SHA-512 of `data`).
    public var checksum: String
    /// The part's bytes.
    public var data: [UInt8]

    private typealias Slot = XMLSequence.Slot

    /// Reads a part message. Structural problems are input errors naming the element.
    public static func read(_ bytes: [UInt8], file: String) throws -> HI1DeliveryPart {
        let core = HI1Namespace.core, dl = HI1Namespace.delivery
        let root = try StrictXML.parse(bytes, file: file)
        guard root.name == "HI1Message", root.namespace == core else {
            throw XMLSequence.fail(root, file, "the root element is {\(root.namespace)}\(root.name), not an ETSI TS 103 120 HI1Message")
        }
        let top = try XMLSequence(root, file: file, [Slot(namespace: core, name: "Header", min: 1), Slot(namespace: core, name: "Payload", min: 1),
                                                     Slot(namespace: core, name: "Signature"), Slot(namespace: HI1Namespace.xmldsig, name: "Signature")])
        let payload = try XMLSequence(top.required("Payload"), file: file, [Slot(namespace: core, name: "RequestPayload", min: 1)])
        let rp = try XMLSequence(payload.required("RequestPayload"), file: file, [Slot(namespace: core, name: "ActionRequests", min: 1)])
        let actions = try XMLSequence(rp.required("ActionRequests"), file: file, [Slot(namespace: core, name: "ActionRequest", min: 1)])
        let action = try XMLSequence(actions.required("ActionRequest"), file: file, [Slot(namespace: core, name: "ActionIdentifier", min: 1),
                                                                                      Slot(namespace: core, name: "DELIVER", min: 1)])
        let deliver = try XMLSequence(action.required("DELIVER"), file: file, [Slot(namespace: core, name: "Identifier", min: 1),
                                                                                Slot(namespace: core, name: "HI1Object", min: 1)])
        let object = deliver.required("HI1Object")
        guard let typeName = object.attribute("type", namespace: HI1Namespace.xsi), let type = object.resolve(qname: typeName),
              type == (dl, "DeliveryObject") else {
            throw XMLSequence.fail(object, file, "a delivery part is a delivery:DeliveryObject")
        }
        let slots = ["ObjectIdentifier", "CountryCode", "OwnerIdentifier", "Generation", "ExternalIdentifier", "AssociatedObjects", "LastChanged",
                     "NationalHandlingParameters"].enumerated().map { Slot(namespace: core, name: $1, min: $0 == 0 ? 1 : 0) }
            + ["Reference", "DeliveryID", "SequenceNumber", "LastSequence", "Manifest", "Delivery"].map { Slot(namespace: dl, name: $0, min: $0 == "Reference" ? 0 : 1) }
        let d = try XMLSequence(object, file: file, slots)
        let sequenceText = try d.text("SequenceNumber") ?? ""
        guard let sequence = Int(sequenceText), sequence >= 1 else { throw d.fail("SequenceNumber must be a positive integer") }
        let lastText = try d.text("LastSequence") ?? ""
        guard ["true", "false", "1", "0"].contains(lastText) else { throw d.fail("LastSequence must be true or false") }
        let manifestEl = try XMLSequence(d.required("Manifest"), file: file, [Slot(namespace: dl, name: "ExternalSchema", min: 1)])
        let external = try XMLSequence(manifestEl.required("ExternalSchema"), file: file, [Slot(namespace: dl, name: "ManifestID", min: 1),
                                                                                           Slot(namespace: dl, name: "ManifestContents", min: 1)])
        guard try external.text("ManifestID") == HI1Profile.partManifestID else {
            throw XMLSequence.fail(external.required("ManifestID"), file, "not a part of a Disclose delivery in parts (ManifestID '\(HI1Profile.partManifestID)' expected)")
        }
        let contents = try XMLSequence(external.required("ManifestContents"), file: file, [Slot(namespace: dl, name: "BinaryData", min: 1)])
        let (manifestBytes, _) = try binary(contents.required("BinaryData"), file)
        guard let manifest = HI1PartManifest.parse(String(decoding: manifestBytes, as: UTF8.self)) else {
            throw XMLSequence.fail(contents.required("BinaryData"), file, "the part manifest is not a \(HI1PartManifest.format) text")
        }
        let delivery = try XMLSequence(d.required("Delivery"), file: file, [Slot(namespace: dl, name: "BinaryData", min: 1)])
        let (data, checksum) = try binary(delivery.required("BinaryData"), file)
        guard let checksum else { throw delivery.fail("the part has no SHA-512 Checksum") }
        let deliveryID = try d.text("DeliveryID") ?? ""
        guard deliveryID.range(of: "^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$", options: .regularExpression) != nil else {
            throw XMLSequence.fail(d.required("DeliveryID"), file, "expected a lowercase UUID")
        }
        return HI1DeliveryPart(file: file, deliveryID: deliveryID, sequence: sequence, last: lastText == "true" || lastText == "1",
                               manifest: manifest, checksum: checksum, data: data)
    }

    /// An EmbeddedBinaryData: the decoded Data and, for SHA-512, the Checksum.
    private static func binary(_ e: StrictXML.Element, _ file: String) throws -> ([UInt8], String?) {
        let dl = HI1Namespace.delivery
        let b = try XMLSequence(e, file: file, ["Data", "ContentType", "Checksum", "ChecksumType"].map { Slot(namespace: dl, name: $0, min: $0 == "Data" ? 1 : 0) })
        let dataElement = b.required("Data")
        guard dataElement.children.isEmpty else { throw XMLSequence.fail(dataElement, file, "<Data> must hold text, not elements") }
        guard let data = Base64.padded.decode(Array(dataElement.text.utf8), ignoringWhitespace: true) else { throw XMLSequence.fail(b.required("Data"), file, "Data is not valid base64") }
        guard let sum = try b.text("Checksum") else { return (data, nil) }
        guard try b.text("ChecksumType") == HI1Profile.checksumType else {
            throw XMLSequence.fail(e, file, "ChecksumType must be \(HI1Profile.checksumType)")
        }
        return (data, sum.lowercased())
    }
}
