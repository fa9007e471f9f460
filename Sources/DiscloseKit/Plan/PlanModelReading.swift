/// Reading a plan document back into its `PlanModel`: the one place that names the
/// plan's keys when reading, as `PlanModel.json` is when writing.
///
/// Strict on what was always written (a missing key or a value of the wrong type is an
/// `InputError` naming the file, line and key path), tolerant of what newer plans add
/// (`practice`, the window's reading, `case_nonce`, `look_alikes`, `empty_containers`) so a
/// plan kept from before still reads, and — as before — silent about members it does not know.
extension PlanModel {
    /// Largest plan document read.
    public static let maxBytes = 64 << 20

    /// Reads the plan document `bytes` (from `file`, the name used in errors).
    public static func read(_ bytes: [UInt8], file: String) throws -> PlanModel {
        guard let plan = try readIfPlan(bytes, file: file) else {
            throw InputError(file: file, message: "not a disclose plan document (\(PlanDocument.format))", hint: "make one with: disclose plan REQUEST --out PLAN")
        }
        return plan
    }

    /// Reads `bytes` as a plan document, or nil when the JSON is not one (another format,
    /// no `inputs.request_file`), so a caller that also takes other documents can say so.
    public static func readIfPlan(_ bytes: [UInt8], file: String) throws -> PlanModel? {
        let root = try DocumentJSON.parse(bytes, file: file, limit: maxBytes)
        guard root["format"]?.string == PlanDocument.format, root["inputs"]?["request_file"]?.string != nil else { return nil }
        var o = try DocumentFields(root, file: file)
        _ = o.raw("format")
        let practice = try o.bool("practice", default: false)
        var r = try o.object("request")
        var inp = try o.object("inputs")
        var approvals = try o.object("approvals_required")
        return PlanModel(
            practice: practice,
            request: try request(&r),
            inputs: Inputs(requestFile: try inp.text("request_file"), requestSHA512: try inp.text("request_sha512"),
                           dataMapSHA512: try inp.text("data_map_sha512"), policySHA512: try inp.text("policy_sha512"),
                           caseNonce: try inp.nullableText("case_nonce")),
            checks: try o.objects("checks").map { c in
                var c = c
                return Check(check: try c.text("check"), outcome: try c.text("outcome"), detail: try c.text("detail"))
            },
            verdict: try o.text("verdict"),
            categories: try o.objects("categories").map { c in
                var c = c
                return Category(category: try c.text("category"), requested: try c.flag("requested"), granted: try c.flag("granted"), reason: try c.text("reason"))
            },
            approvalsRequired: ApprovalsRequired(count: try approvals.count("count"), roles: try approvals.texts("roles")),
            subjects: try o.objects("subjects").map(subject),
            datasets: try o.objects("datasets").map(dataset))
    }

    private static func request(_ r: inout DocumentFields) throws -> Request {
        var i = try r.object("instrument")
        var w = try r.object("window")
        var display: Display?
        if var sent = try w.optionalObject("as_sent") {
            let local = try w.optionalObject("local")
            display = Display(asSent: Span(from: try sent.text("from"), to: try sent.text("to")), timeZone: try w.nullableText("time_zone"),
                              local: try local.map { l in var l = l; return Span(from: try l.text("from"), to: try l.text("to")) })
        }
        return Request(
            id: try r.text("id"), received: try r.text("received"), authority: try r.text("authority"),
            authorityCountry: try r.nullableText("authority_country"),
            instrument: Instrument(type: try i.text("type"), reference: try i.text("reference"), issuerRole: try i.text("issuer_role"),
                                   issued: try i.text("issued"), expires: try i.nullableText("expires"),
                                   jurisdiction: try i.nullableText("jurisdiction"), legalBasis: try i.text("legal_basis")),
            emergency: try r.flag("emergency"),
            window: Window(from: try w.text("from"), to: try w.text("to"), display: display),
            categoriesRequested: try r.texts("categories_requested"))
    }

    private static func subject(_ s: DocumentFields) throws -> Subject {
        var s = s
        let lookAlikes = try s.optionalObject("look_alikes").map { l in
            var l = l
            return LookAlikes(records: try l.count("records"), accounts: try l.count("accounts"))
        }
        return Subject(type: try s.text("type"), value: try s.text("value"), time: try s.nullableText("time"), accounts: try s.count("accounts"),
                       accountsSHA512: try s.text("accounts_sha512"), resolvedVia: try s.texts("resolved_via"), lookAlikes: lookAlikes)
    }

    private static func dataset(_ d: DocumentFields) throws -> Dataset {
        var d = d
        var rec = try d.object("records")
        var out = try d.object("output")
        func counted(_ c: DocumentFields) throws -> CountedPath {
            var c = c
            return CountedPath(path: try c.text("path"), action: try c.text("action"), reason: try c.text("reason"), values: try c.count("values"))
        }
        return Dataset(
            name: try d.text("name"), format: try d.text("format"), inputFiles: try d.texts("input_files"),
            windowApplies: try d.flag("window_applies"),
            records: Records(scanned: try rec.count("scanned"), ofSubjects: try rec.count("of_subjects"), outsideWindow: try rec.count("outside_window"),
                             unparseableTime: try rec.count("unparseable_time"), disclosed: try rec.count("disclosed")),
            fields: try d.objects("fields").map { f in
                var f = f
                return Field(path: try f.text("path"), category: try f.text("category"), thirdParty: try f.flag("third_party"),
                             action: try f.text("action"), reason: try f.text("reason"),
                             values: try f.counts("values").map { Count(name: $0.key, count: $0.count) })
            },
            unmappedFields: try d.objects("unmapped_fields").map(counted),
            emptyContainers: try d.optionalObjects("empty_containers").map(counted),
            output: Output(name: try out.text("name"), bytes: try out.count("bytes"), blake2b512: try out.text("blake2b512")))
    }
}
