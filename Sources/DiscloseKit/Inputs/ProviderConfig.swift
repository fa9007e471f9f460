import Foundation

/// The provider's configuration (`disclose.json`): where its data map, policy, data,
/// keys and audit log live. Every path is relative to the configuration file.
public struct ProviderConfig: Sendable {
    /// Organization name (BagIt Source-Organization, disclosure manifest).
    public var provider: String
    /// Absolute path of the configuration file.
    public var file: String
    /// Data map file.
    public var dataMapPath: String
    /// Policy file.
    public var policyPath: String
    /// Root directory the data map's dataset paths are relative to.
    public var dataRoot: String
    /// Audit log (append-only JSON Lines).
    public var auditLogPath: String
    /// File holding the provider's pseudonymization secret (never leaves the provider).
    public var pseudonymSecretPath: String
    /// Provider minisign secret key that signs bundles.
    public var signingKeyPath: String?
    /// Provider minisign public key (written into VERIFY instructions).
    public var signingPublicKeyPath: String?
    /// The provider's IANA time zone (`time_zone`): where plain dates given to `report`
    /// and `status` are calendar days, unless `--time-zone` says otherwise.
    public var timeZone: String? = nil

    /// The default file name looked up in the working directory.
    public static let defaultFileName = "disclose.json"

    /// Loads `path`, or `disclose.json` in the working directory when nil.
    public static func load(path: String?) throws -> ProviderConfig {
        let given = path ?? defaultFileName
        guard FileManager.default.fileExists(atPath: given) else {
            throw InputError(file: given, message: "configuration file not found",
                             hint: path == nil ? "run in the directory holding disclose.json, or pass --config FILE" : "check the path given to --config")
        }
        let absolute = URL(fileURLWithPath: given).standardizedFileURL.path
        var top = try DocumentFields(DocumentJSON.load(path: given), file: given)
        let base = PathName.directory(absolute)
        func resolve(_ p: String) -> String {
            p.hasPrefix("/") ? p : URL(fileURLWithPath: base).appendingPathComponent(p).standardizedFileURL.path
        }
        let config = ProviderConfig(
            provider: try top.string("provider"),
            file: absolute,
            dataMapPath: resolve(try top.string("data_map")),
            policyPath: resolve(try top.string("policy")),
            dataRoot: resolve(try top.string("data_root")),
            auditLogPath: resolve(try top.string("audit_log")),
            pseudonymSecretPath: resolve(try top.string("pseudonym_secret")),
            signingKeyPath: try top.optionalString("signing_key").map(resolve),
            signingPublicKeyPath: try top.optionalString("signing_public_key").map(resolve),
            timeZone: try top.optionalString("time_zone"))
        if let z = config.timeZone, LegalTime.zone(named: z) == nil {
            throw top.fail("time_zone", nil, "unknown time zone '\(z)': expected an IANA time zone name", hint: "for example Europe/Paris or America/New_York")
        }
        try top.finish()
        return config
    }
}
