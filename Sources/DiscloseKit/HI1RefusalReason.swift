/// Why a provider does not (fully) execute an order, in the families of the EU e-Evidence
/// Regulation's Form 3 (Regulation (EU) 2023/1543, Annex III: information on the
/// impossibility to execute an order). The HI-1 answer carries the family as a
/// NotificationObject's `NotificationType`; the transparency report counts refusals by it.
/// Disclose's own checks map to these in `HI1ReasonMap` (policy-configurable).
public enum HI1RefusalReason: String, Sendable, CaseIterable, Comparable {
    /// The order is incomplete or lacks information needed to execute it.
    case incompleteOrder = "incomplete_order"
    /// The order contains manifest errors (dates, references, a legal basis that does not exist).
    case manifestError = "manifest_error"
    /// The order was not issued or validated by an authority competent for it, or for the data it asks for.
    case notCompetentAuthority = "not_competent_authority"
    /// The data does not exist or is not held by the provider (no account, nothing in scope).
    case dataNotHeld = "data_not_held"
    /// De facto impossibility not attributable to the provider.
    case deFactoImpossibility = "de_facto_impossibility"
    /// Immunities or privileges, or rules on the freedom of the press, protect the data.
    case immunitiesPrivileges = "immunities_privileges"
    /// Executing the order would conflict with the law of a third country.
    case thirdCountryLaw = "third_country_law"
    /// Any other ground, explained in the notification's details.
    case other

    /// The `NotificationType` value (dictionary `HI1Profile.notificationDictionary`).
    public var dictionaryValue: String {
        switch self {
        case .incompleteOrder: return "IncompleteOrder"
        case .manifestError: return "ManifestlyErroneousOrder"
        case .notCompetentAuthority: return "NotIssuedByCompetentAuthority"
        case .dataNotHeld: return "DataNotHeld"
        case .deFactoImpossibility: return "DeFactoImpossibility"
        case .immunitiesPrivileges: return "ImmunitiesAndPrivileges"
        case .thirdCountryLaw: return "ConflictWithThirdCountryLaw"
        case .other: return "OtherReason"
        }
    }

    public static func < (a: HI1RefusalReason, b: HI1RefusalReason) -> Bool { a.rawValue < b.rawValue }
}
