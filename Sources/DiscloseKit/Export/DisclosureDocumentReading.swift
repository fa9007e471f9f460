/// Reading `disclosure.json` back into its `DisclosureDocument`: the one place that names
/// its keys when reading. Strict on what every bundle has (a missing key or a wrong type
/// is an `InputError` with the line and key path), tolerant of what older bundles lack
/// (`practice`, the request's window, the authority's time zone, recipients' roles, the
/// unmapped summary).
extension DisclosureDocument {
    /// Largest `disclosure.json` read.
    public static let maxBytes = 16 << 20

    /// Reads `bytes` (from `file`, the name used in errors) as a `disclose-bundle/1` manifest.
    public static func read(_ bytes: [UInt8], file: String) throws -> DisclosureDocument {
        let root = try DocumentJSON.parse(bytes, file: file, limit: maxBytes)
        var o = try DocumentFields(root, file: file)
        let format = try o.text("format")
        guard format == BundleDocuments.manifestFormat else {
            throw o.fail("format", root["format"], "not a disclosure manifest (\(BundleDocuments.manifestFormat))")
        }
        var provider = try o.object("provider"), request = try o.object("request"), authority = try o.object("authority")
        var instrument = try o.object("instrument"), plan = try o.object("plan"), required = try o.object("approvals_required")
        var head = try o.object("audit_head")
        let window = try request.optionalObject("window").map { w in
            var w = w
            return Window(from: try w.text("from"), to: try w.text("to"), asSent: try span(w.optionalObject("as_sent")),
                          timeZone: try w.nullableText("time_zone"))
        }
        let hasTimeZone = authority.node["time_zone"] != nil
        return DisclosureDocument(
            practice: try o.bool("practice", default: false), bundleID: try o.text("bundle_id"), created: try o.text("created"),
            provider: Provider(name: try provider.text("name"), signingKeyID: try provider.text("signing_key_id"),
                               signingPublicKey: try provider.text("signing_public_key")),
            request: Request(id: try request.text("id"), sha512: try request.text("sha512"), received: try request.text("received"),
                             emergency: try request.flag("emergency"), window: window),
            authority: Authority(id: try authority.text("id"), name: try authority.nullableText("name"), country: try authority.nullableText("country"),
                                 timeZone: try authority.nullableText("time_zone"), hasTimeZone: hasTimeZone),
            instrument: Instrument(type: try instrument.text("type"), reference: try instrument.text("reference"),
                                   issuerRole: try instrument.text("issuer_role"), legalBasis: try instrument.text("legal_basis"),
                                   issued: try instrument.text("issued"), expires: try instrument.nullableText("expires")),
            verdict: try o.text("verdict"),
            categories: try o.objects("categories").map { c in
                var c = c
                return Category(category: try c.text("category"), granted: try c.flag("granted"), reason: try c.text("reason"))
            },
            datasets: try o.objects("datasets").map(dataset),
            recordFile: try o.text("record_file"),
            recipients: try o.array("recipients").enumerated().map { i, n in
                if case .string(let s) = n.value { return Recipient(recipient: s, role: nil) }
                var r = try DocumentFields(n, file: file, path: "recipients[\(i)]")
                return Recipient(recipient: try r.text("recipient"), role: try r.text("role"))
            },
            plan: PlanDigests(sha512: try plan.text("sha512"), blake2b512: try plan.text("blake2b512")),
            approvalsRequired: .init(count: try required.int("count", range: Int.min...Int.max), roles: try required.texts("roles")),
            approvals: try o.objects("approvals").map { a in
                var a = a
                return Approval(verdict: try a.text("verdict"), role: try a.text("role"), keyID: try a.text("key_id"),
                                publicKey: try a.text("public_key"), time: try a.text("time"), signature: try a.text("signature"))
            },
            auditHead: AuditHead(sequence: try head.count("sequence"), sha512: try head.text("sha512")))
    }

    /// Only the `audit_head` of a manifest (what `audit check --bundle` needs), leaving
    /// the rest unread as it always has; nil when it is missing or not {sequence, sha512}.
    public static func auditHead(_ bytes: [UInt8], file: String) throws -> AuditHead? {
        var o = try DocumentFields(try DocumentJSON.parse(bytes, file: file, limit: maxBytes), file: file)
        guard var head = try? o.object("audit_head"), let sequence = try? head.count("sequence"), let hash = try? head.text("sha512") else { return nil }
        return AuditHead(sequence: sequence, sha512: hash)
    }

    private static func span(_ fields: DocumentFields?) throws -> PlanModel.Span? {
        guard var f = fields else { return nil }
        return PlanModel.Span(from: try f.text("from"), to: try f.text("to"))
    }

    private static func dataset(_ d: DocumentFields) throws -> Dataset {
        var d = d
        func fields(_ key: String) throws -> [Field] {
            try d.objects(key).map { f in
                var f = f
                return Field(field: try f.text("field"), category: try f.nullableText("category"), reason: try f.text("reason"))
            }
        }
        let unmapped = try d.optionalArray("unmapped") == nil ? nil : try d.objects("unmapped").map { u in
            var u = u
            return Unmapped(field: try u.text("field"), names: try u.count("names"), values: try u.count("values"),
                            action: try u.text("action"), reason: try u.text("reason"))
        }
        return Dataset(name: try d.text("name"), file: try d.nullableText("file"), format: try d.text("format"),
                       timeField: try d.nullableText("time_field"), timeFormat: try d.nullableText("time_format"),
                       recordsDisclosed: try d.count("records_disclosed"),
                       disclosed: try fields("disclosed"), pseudonymized: try fields("pseudonymized"), masked: try fields("masked"),
                       ipPrefix: try fields("ip_prefix"), withheld: try fields("withheld"), unmapped: unmapped)
    }
}
