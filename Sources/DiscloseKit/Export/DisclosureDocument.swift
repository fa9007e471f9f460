/// `disclosure.json` (`disclose-bundle/1`), the bundle's clear manifest, as one typed
/// value: `BundleDocuments.manifest` writes it and the verifier, `respond` and the audit
/// check read it back (`DisclosureDocumentReading.swift`). Free of personal data: names
/// from the data map, reasons, counts, keys and digests only.
public struct DisclosureDocument: Sendable, Equatable {
    /// True for a practice bundle (written right after the format; real bundles omit it).
    public var practice: Bool
    public var bundleID, created: String
    public var provider: Provider
    public var request: Request
    public var authority: Authority
    public var instrument: Instrument
    public var verdict: String
    /// The requested categories and whether each was granted.
    public var categories: [Category]
    public var datasets: [Dataset]
    /// The encrypted disclosure record's path in the bundle.
    public var recordFile: String
    public var recipients: [Recipient]
    public var plan: PlanDigests
    public var approvalsRequired: PlanModel.ApprovalsRequired
    public var approvals: [Approval]
    public var auditHead: AuditHead

    /// Who sealed the bundle and with which key.
    public struct Provider: Sendable, Equatable { public var name, signingKeyID, signingPublicKey: String }

    /// The request's id, digest, receipt and window.
    public struct Request: Sendable, Equatable {
        public var id, sha512, received: String
        public var emergency: Bool
        /// Absent in bundles made before the window was written.
        public var window: Window?
    }

    /// The window compared (UTC) and as the request sent it.
    public struct Window: Sendable, Equatable {
        public var from, to: String
        public var asSent: PlanModel.Span?
        public var timeZone: String?
    }

    /// The authority as the policy knows it.
    public struct Authority: Sendable, Equatable {
        public var id: String
        public var name, country: String?
        /// The authority's zone; `hasTimeZone` false for bundles made before it was written.
        public var timeZone: String?
        public var hasTimeZone: Bool
    }

    /// The legal instrument.
    public struct Instrument: Sendable, Equatable {
        public var type, reference, issuerRole, legalBasis, issued: String
        public var expires: String?
    }

    /// A requested category.
    public struct Category: Sendable, Equatable { public var category: String; public var granted: Bool; public var reason: String }

    /// One dataset: its payload file and every field's fate, by name.
    public struct Dataset: Sendable, Equatable {
        public var name: String
        /// Null when the dataset has no payload file.
        public var file: String?
        public var format: String
        public var timeField, timeFormat: String?
        public var recordsDisclosed: Int
        public var disclosed, pseudonymized, masked, ipPrefix, withheld: [Field]
        /// Unmapped paths, generalised; nil in bundles made before they were summarised.
        public var unmapped: [Unmapped]?

        /// The fields whose values leave in some form (disclosed, pseudonymized, masked,
        /// IP prefix): what the records may hold.
        public var declaredFields: [String] { (disclosed + pseudonymized + masked + ipPrefix).map(\.field) }
    }

    /// A field named by the data map, its category and why it has its action.
    public struct Field: Sendable, Equatable {
        public var field: String
        /// Null only in older bundles, for unmapped fields listed as withheld.
        public var category: String?
        public var reason: String
    }

    /// Unmapped paths under one generalised field.
    public struct Unmapped: Sendable, Equatable {
        public var field: String
        public var names, values: Int
        public var action, reason: String
    }

    /// An age recipient and whom it stands for (`role` nil: a bundle from before roles).
    public struct Recipient: Sendable, Equatable { public var recipient: String; public var role: String? }

    /// The approved plan's digests.
    public struct PlanDigests: Sendable, Equatable { public var sha512, blake2b512: String }

    /// One reviewer's decision with the public key that checks it.
    public struct Approval: Sendable, Equatable { public var verdict, role, keyID, publicKey, time, signature: String }

    /// The audit log's head when the bundle was sealed.
    public struct AuditHead: Sendable, Equatable { public var sequence: Int; public var sha512: String }
}

extension DisclosureDocument {
    /// The document's members in their fixed order.
    public var json: JSONOutput {
        var members: [(String, JSONOutput)] = [("format", .string(BundleDocuments.manifestFormat))]
        if practice { members.append(("practice", .bool(true))) }
        var req: [(String, JSONOutput)] = [("id", .string(request.id)), ("sha512", .string(request.sha512)),
                                           ("received", .string(request.received)), ("emergency", .bool(request.emergency))]
        if let w = request.window {
            req.append(("window", .object([("from", .string(w.from)), ("to", .string(w.to)), ("as_sent", w.asSent?.json ?? .null),
                                           ("time_zone", .optional(w.timeZone))])))
        }
        var auth: [(String, JSONOutput)] = [("id", .string(authority.id)), ("name", .optional(authority.name)), ("country", .optional(authority.country))]
        if authority.hasTimeZone { auth.append(("time_zone", .optional(authority.timeZone))) }
        members += [
            ("bundle_id", .string(bundleID)), ("created", .string(created)),
            ("provider", .object([("name", .string(provider.name)), ("signing_key_id", .string(provider.signingKeyID)),
                                  ("signing_public_key", .string(provider.signingPublicKey))])),
            ("request", .object(req)),
            ("authority", .object(auth)),
            ("instrument", .object([
                ("type", .string(instrument.type)), ("reference", .string(instrument.reference)), ("issuer_role", .string(instrument.issuerRole)),
                ("legal_basis", .string(instrument.legalBasis)), ("issued", .string(instrument.issued)), ("expires", .optional(instrument.expires)),
            ])),
            ("verdict", .string(verdict)),
            ("categories", .array(categories.map { .object([("category", .string($0.category)), ("granted", .bool($0.granted)), ("reason", .string($0.reason))]) })),
            ("datasets", .array(datasets.map(\.json))),
            ("record_file", .string(recordFile)),
            ("recipients", .array(recipients.map { r in
                r.role.map { .object([("recipient", .string(r.recipient)), ("role", .string($0))]) } ?? .string(r.recipient)
            })),
            ("plan", .object([("sha512", .string(plan.sha512)), ("blake2b512", .string(plan.blake2b512))])),
            ("approvals_required", .object([("count", .int(approvalsRequired.count)), ("roles", .array(approvalsRequired.roles.map { .string($0) }))])),
            ("approvals", .array(approvals.map { a in
                .object([("verdict", .string(a.verdict)), ("role", .string(a.role)), ("key_id", .string(a.keyID)),
                         ("public_key", .string(a.publicKey)), ("time", .string(a.time)), ("signature", .string(a.signature))])
            })),
            ("audit_head", .object([("sequence", .int(auditHead.sequence)), ("sha512", .string(auditHead.sha512))])),
        ]
        return .object(members)
    }
}

extension DisclosureDocument.Dataset {
    var json: JSONOutput {
        func names(_ fields: [DisclosureDocument.Field]) -> JSONOutput {
            .array(fields.map { .object([("field", .string($0.field)), ("category", .optional($0.category)), ("reason", .string($0.reason))]) })
        }
        var members: [(String, JSONOutput)] = [
            ("name", .string(name)), ("file", .optional(file)), ("format", .string(format)),
            ("time_field", .optional(timeField)), ("time_format", .optional(timeFormat)),
            ("records_disclosed", .int(recordsDisclosed)),
            ("disclosed", names(disclosed)), ("pseudonymized", names(pseudonymized)), ("masked", names(masked)),
            ("ip_prefix", names(ipPrefix)), ("withheld", names(withheld)),
        ]
        if let unmapped {
            members.append(("unmapped", .array(unmapped.map {
                .object([("field", .string($0.field)), ("names", .int($0.names)), ("values", .int($0.values)),
                         ("action", .string($0.action)), ("reason", .string($0.reason))])
            })))
        }
        return .object(members)
    }
}
