/// Applies the policy to a request over a data map. Pure: no I/O, no clock but `now`.
public enum Decider {
    /// Decides a case. `now` is used only to refuse expired instruments.
    public static func decide(request: Request, policy: Policy, dataMap: DataMap, now: Instant) -> Decision {
        var checks: [PolicyCheck] = []
        func check(_ name: String, _ ok: Bool, _ pass: String, _ fail: String) {
            checks.append(PolicyCheck(name: name, outcome: ok ? .pass : .fail, detail: ok ? pass : fail))
        }

        let authority = policy.authorities[request.authority]
        check("authority known", authority != nil,
              "'\(request.authority)' is \(authority.map { "\($0.name) (\($0.country))" } ?? "")",
              "'\(request.authority)' is not among the policy's known authorities; verify the requester through an independent channel and add it to the policy")

        let instrument = policy.instruments[request.instrument.type]
        check("instrument type known", instrument != nil,
              "\(request.instrument.type): \(instrument?.label ?? "") — \(instrument?.basis ?? "")",
              "'\(request.instrument.type)' is not an instrument type of the policy (known: \(policy.instruments.keys.sorted().joined(separator: ", ")))")

        // Categories the instrument reaches given its issuer.
        var reachable = Set<DataCategory>()
        var issuerNote: String? = nil
        if let instrument {
            reachable = instrument.categories
            if !instrument.issuerRules.isEmpty {
                let rule = instrument.issuerRules.first { $0.roles.contains(request.instrument.issuerRole) }
                let known = instrument.issuerRules.flatMap(\.roles).sorted().joined(separator: ", ")
                check("issuer competent", rule != nil,
                      "issuer: \(request.instrument.issuerRole)\(rule?.note.map { " — \($0)" } ?? "")",
                      "a \(instrument.label) issued by '\(request.instrument.issuerRole)' is not provided for (issuers: \(known))")
                if let rule { reachable.formUnion(rule.categories); issuerNote = rule.note }
            }
        }

        // Validity in time.
        let ins = request.instrument
        check("issued before receipt", ins.issued <= request.received,
              "issued \(ins.issued), received \(request.received)",
              "the instrument is dated \(ins.issued), after the request was received (\(request.received))")
        if let expires = ins.expires {
            check("instrument in force", now <= expires, "valid until \(expires)",
                  "the instrument expired at \(expires); ask the authority for a renewed instrument")
        } else {
            checks.append(PolicyCheck(name: "instrument in force", outcome: .warn, detail: "the instrument states no expiry"))
        }

        // Window, measured on the authority's clock: a window of plain dates spans whole
        // local days, whatever daylight saving time did in between.
        let days = LegalTime.days(request.window, zone: request.timeZone.flatMap(LegalTime.zone(named:)))
        check("window within limit", days <= Double(policy.maxWindowDays),
              "window \(request.window.lowerBound) – \(request.window.upperBound) (\(Int(days.rounded(.up))) days, limit \(policy.maxWindowDays))",
              "the window spans \(Int(days.rounded(.up))) days; the policy allows at most \(policy.maxWindowDays)")

        // Emergency.
        var approvals = policy.approvals
        if let instrument, instrument.emergency || request.emergency != nil {
            check("emergency declared", instrument.emergency && request.emergency != nil,
                  "emergency disclosure: \(instrument.basis); follow-up legal process due within \(policy.emergency.followUpHours) h",
                  instrument.emergency ? "a \(instrument.label) needs the request's emergency statement"
                                       : "an emergency statement was given, but \(instrument.label) is not an emergency instrument")
            if policy.emergency.requiresAttestation {
                let ok = request.emergency?.callbackAttestation != nil
                check("call-back attestation", ok, "the requester was called back on an independently known number",
                      "emergency requests need a call-back attestation (emergency.callback_attestation): confirm the requester through a known number first")
            }
            approvals = policy.emergency.approvals
        }

        // Categories.
        var categories: [CategoryDecision] = []
        for c in DataCategory.allCases where c != .never {
            let requested = request.categories.contains(c)
            let granted = requested && reachable.contains(c)
            let reason: String
            if !requested { reason = "not requested" }
            else if granted { reason = "granted: \(instrument!.label) reaches \(c.rawValue) data (\(instrument!.basis))" }
            else if let instrument {
                reason = "refused: a \(instrument.label)\(instrument.issuerRules.isEmpty ? "" : " issued by '\(request.instrument.issuerRole)'") does not reach \(c.rawValue) data (\(instrument.basis)\(issuerNote.map { "; \($0)" } ?? ""))"
            } else { reason = "refused: unknown instrument" }
            categories.append(CategoryDecision(category: c, requested: requested, granted: granted, reason: reason))
        }
        let excess = categories.filter { $0.requested && !$0.granted }
        if let instrument, instrument.refuseWholeOnExcess, !excess.isEmpty {
            check("request within the issuer's competence", false, "",
                  "the request asks for \(excess.map(\.category.rawValue).joined(separator: ", ")) data, which a \(instrument.label) issued by '\(request.instrument.issuerRole)' cannot order; under \(instrument.basis) such an order is refused as a whole")
        }
        if instrument != nil, !categories.contains(where: \.granted) {
            check("something to disclose", false, "", "none of the requested categories is available to this instrument")
        }

        // Field narrowing must name real fields.
        var named: Set<String>? = nil
        if let fields = request.fields {
            named = Set(fields)
            for f in fields {
                let parts = f.split(separator: ":", maxSplits: 1).map(String.init)
                let ds = dataMap.datasets.first { $0.name == parts[0] }
                let known = ds?.fields.contains { $0.path.description == parts[1] } ?? false
                if !known {
                    check("named fields exist", false, "", "the request names '\(f)', which the data map does not know")
                }
            }
        }

        let refused = checks.contains { $0.outcome == .fail }
        let granted = Set(categories.filter(\.granted).map(\.category))
        let basis = instrument?.basis ?? "none"
        let datasets = dataMap.datasets.map { ds -> DatasetDecision in
            let fields = ds.fields.map { f -> FieldDecision in
                func d(_ a: FieldAction, _ why: String) -> FieldDecision {
                    FieldDecision(path: f.path, category: f.category, thirdParty: f.thirdParty, action: a, reason: why)
                }
                if f.category == .never { return d(.withhold, "never disclosed: the data map marks it 'never'") }
                if refused { return d(.withhold, "request refused") }
                if !request.categories.contains(f.category) { return d(.withhold, "\(f.category.rawValue) data not requested") }
                if !granted.contains(f.category) {
                    return d(.withhold, categories.first { $0.category == f.category }!.reason)
                }
                if let named, !named.contains("\(ds.name):\(f.path)") {
                    return d(.withhold, "not among the fields the request names")
                }
                if f.thirdParty {
                    if request.thirdPartiesUnredacted, instrument?.thirdPartiesUnredacted == true {
                        return d(.disclose, "third-party identifier disclosed: the request asks for it and \(basis) allows it")
                    }
                    let a = f.redaction ?? policy.thirdPartyRedaction
                    let source = f.redaction != nil ? "data map" : "policy default"
                    return d(a, "third-party identifier: \(a.rawValue) (\(source)); \(f.category.rawValue) data granted under \(basis)")
                }
                return d(.disclose, "\(f.category.rawValue) data granted under \(basis)")
            }
            return DatasetDecision(dataset: ds, fields: fields, windowApplies: ds.timeField != nil)
        }
        return Decision(checks: checks, categories: categories, datasets: datasets, approvals: approvals,
                        legalBasis: basis, instrument: instrument, authority: authority)
    }
}
