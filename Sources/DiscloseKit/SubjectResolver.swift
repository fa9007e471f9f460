/// Resolves a request's subject identifiers to account ids through the data map's
/// identifier fields. An identifier that matches nothing resolves to no account and is
/// reported; it never widens the scope.
enum SubjectResolver {
    static func resolve(_ files: CaseFiles) throws -> [SubjectResolution] {
        // Account ids resolve to themselves; other kinds are looked up (engine pending).
        files.request.subjects.map { s in
            SubjectResolution(subject: s, accounts: s.kind == .accountID ? [s.value] : [], via: [])
        }
    }
}
