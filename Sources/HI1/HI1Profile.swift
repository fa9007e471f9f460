import Primitives

/// Everything that depends on the version of ETSI TS 103 120 and on the national profile
/// Disclose writes, in one place: moving to a newer version (or to the EU profile of the
/// e-Evidence exchange) changes this file, the namespaces above and, if elements were
/// renamed, the readers. The HI-1 writers take every version-specific name from here.
public enum HI1Profile {
    /// Header `Version/ETSIVersion`.
    public static let etsiVersion = "V1.12.1"
    /// Header `Version/NationalProfileOwner` (no national profile: ETSI's placeholder).
    public static let nationalProfileOwner = "XX"
    /// Header `Version/NationalProfileVersion`.
    public static let nationalProfileVersion = "v1.0"
    /// The ETSI dictionary of task statuses (`LDTaskStatus`).
    public static let taskStatusDictionary = (owner: "ETSI", name: "LDTaskStatus")
    /// The dictionary of `NotificationType` values Disclose sends: the reasons of
    /// `HI1RefusalReason` and `clarificationValue`. ETSI defines only `General`; the
    /// e-Evidence profile's own dictionary is not available here, so the owner is the
    /// national profile's placeholder and the values are documented in docs/HI1.md.
    public static let notificationDictionary = (owner: nationalProfileOwner, name: "NotificationReason")
    /// `NotificationType` value of a request for clarification.
    public static let clarificationValue = "ClarificationRequested"
    /// Longest `NotificationDetails` / `ErrorDescription` text written (etsi:LongString).
    public static let longStringMax = 60_000
    /// `Manifest/ExternalSchema/ManifestID` of a single-message delivery (the tag manifest).
    public static let bundleManifestID = "disclose-bundle/1: BagIt 1.0 bag, tagmanifest-sha512.txt signed with minisign"
    /// `Manifest/ExternalSchema/ManifestID` of one part of a delivery in parts.
    public static let partManifestID = "disclose-delivery-part/1: one part of the tar of a disclose bundle"
    /// The checksum type written and required (`ChecksumType`).
    public static let checksumType = "SHA-512"
}
