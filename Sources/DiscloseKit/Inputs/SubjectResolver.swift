/// Resolves a request's subject identifiers to account ids through the data map's
/// identifier fields. An identifier that matches nothing resolves to no account and is
/// reported; it never widens the scope.
enum SubjectResolver {
    static func resolve(_ files: CaseFiles) throws -> [SubjectResolution] {
        let subjects = files.request.subjects
        var accounts = subjects.map { $0.kind == .accountID ? Set([$0.value]) : Set<String>() }
        var via = subjects.map { _ in [String]() }
        var nearRecords = subjects.map { _ in 0 }
        var nearAccounts = subjects.map { _ in Set<String>() }
        for ds in files.dataMap.datasets {
            for idf in ds.identifiers {
                let wanted = subjects.indices.filter { subjects[$0].kind == idf.kind }
                guard !wanted.isEmpty else { continue }
                let search = IdentifierSearch(
                    dataset: ds.name, format: ds.format, files: try files.files(of: ds), accountField: ds.accountField,
                    identifierField: idf.field, kind: idf.kind, timeField: ds.timeField, timeFormat: ds.timeFormat,
                    toleranceNanoseconds: Int64(idf.toleranceSeconds) * 1_000_000_000,
                    subjects: wanted.map { SubjectIdentifier(subjects[$0].value, time: subjects[$0].time) })
                let found: IdentifierResolution
                do { found = try resolveIdentifiers(search) } catch var e as InputError where e.file == "<request>" {
                    e.file = files.requestPath
                    if let f = e.field, let n = Int(f.split(separator: " ").last ?? ""), n - 1 < wanted.count {
                        e.field = "subjects[\(wanted[n - 1])].value"
                    }
                    throw e
                }
                for (j, i) in wanted.enumerated() {
                    nearRecords[i] += found.lookAlikeRecords[j]
                    nearAccounts[i].formUnion(found.lookAlikeAccounts[j])
                    guard !found.accounts[j].isEmpty else { continue }
                    accounts[i].formUnion(found.accounts[j])
                    via[i].append(ds.name)
                }
            }
        }
        return subjects.indices.map {
            SubjectResolution(subject: subjects[$0], accounts: accounts[$0].sorted(), via: via[$0],
                              lookAlikeRecords: nearRecords[$0], lookAlikeAccounts: nearAccounts[$0].subtracting(accounts[$0]).count)
        }
    }
}
