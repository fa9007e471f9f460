import Foundation
import Primitives
import Sodium

/// The inputs of one case, loaded and validated, with the SHA-512 digest of each input
/// file's exact bytes (bound into the plan, so any edit after approval is detected).
public struct CaseFiles: Sendable {
    /// The provider configuration.
    public var config: ProviderConfig
    /// The data map.
    public var dataMap: DataMap
    /// The policy.
    public var policy: Policy
    /// The request.
    public var request: Request
    /// Path of the request file as given.
    public var requestPath: String
    /// Hex SHA-512 of the request file.
    public var requestDigest: String
    /// Hex SHA-512 of the data map file.
    public var dataMapDigest: String
    /// Hex SHA-512 of the policy file.
    public var policyDigest: String

    /// Loads the data map and policy named by `config` and the request at `requestPath`.
    public static func load(config: ProviderConfig, requestPath: String) throws -> CaseFiles {
        let requestBytes = try FileBytes.read(path: requestPath, limit: RequestLoader.maxBytes)
        let mapBytes = try FileBytes.read(path: config.dataMapPath, limit: DocumentJSON.maxBytes)
        let policyBytes = try FileBytes.read(path: config.policyPath, limit: DocumentJSON.maxBytes)
        let policy = try Policy.parse(DocumentJSON.parse(policyBytes, file: config.policyPath), file: config.policyPath)
        let request = try RequestLoader.parse(requestBytes, file: requestPath, policy: policy)
        let dataMap = try DataMap.parse(DocumentJSON.parse(mapBytes, file: config.dataMapPath), file: config.dataMapPath)
        return CaseFiles(config: config, dataMap: dataMap, policy: policy, request: request, requestPath: requestPath,
                         requestDigest: Hex.encode(SHA512.hash(requestBytes)),
                         dataMapDigest: Hex.encode(SHA512.hash(mapBytes)),
                         policyDigest: Hex.encode(SHA512.hash(policyBytes)))
    }

    /// The request path as recorded in the plan: relative to the configuration file's
    /// directory when inside it (so plans do not depend on where they were made), else absolute.
    public var requestReference: String {
        let absolute = URL(fileURLWithPath: requestPath).standardizedFileURL.path
        let base = PathName.directory(config.file)
        return absolute.hasPrefix(base + "/") ? String(absolute.dropFirst(base.count + 1)) : absolute
    }

    /// Resolves a request reference from a plan back to a path.
    public static func requestPath(reference: String, config: ProviderConfig) -> String {
        reference.hasPrefix("/") ? reference : PathName.sibling(of: config.file, named: reference)
    }

    /// The files of `dataset` under the data root: the path itself, or the sorted matches
    /// of a glob in its last component. No match is an error (fail closed: a dataset
    /// that silently vanished would otherwise read as "no data").
    public func files(of dataset: DataMap.Dataset) throws -> [URL] {
        let full = PathName.join(config.dataRoot, dataset.path)
        let (dir, last) = PathName.split(full)
        guard last.contains("*") || last.contains("?") else {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue else {
                throw InputError(file: config.dataMapPath, field: "\(dataset.name).path",
                                 message: "dataset file \(full) does not exist or is not a file",
                                 hint: "check data_root in \(config.file) and the dataset path")
            }
            return [URL(fileURLWithPath: full)]
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        let matches = names.filter { fnmatch(last, $0, 0) == 0 }.sorted()
        guard !matches.isEmpty else {
            throw InputError(file: config.dataMapPath, field: "\(dataset.name).path",
                             message: "no file matches \(full)", hint: "check data_root in \(config.file) and the dataset path")
        }
        return matches.map { URL(fileURLWithPath: PathName.join(dir, $0)) }
    }
}

/// The provider's pseudonymization secret and the per-case key derived from it.
public enum PseudonymKey {
    /// Reads the provider secret: a file holding at least 32 random bytes as hex (one line).
    /// Refused when group- or world-readable, like every secret file.
    public static func loadSecret(path: String) throws -> SecretBytes {
        try SecretFile.checkPermissions(path: path)
        var raw = try FileBytes.read(path: path, limit: 4096)
        defer { Memory.wipe(&raw) }
        var text = raw
        defer { Memory.wipe(&text) }
        while let l = text.last, l == 0x0A || l == 0x0D || l == 0x20 { text.removeLast() }
        guard var bytes = Hex.decode(String(decoding: text, as: UTF8.self)), bytes.count >= 32 else {
            throw InputError(file: path, message: "expected at least 32 bytes of hex (the pseudonymization secret)",
                             hint: "create one with:", next: .makePseudonymSecret(out: path))
        }
        defer { Memory.wipe(&bytes) }
        return SecretBytes(copying: bytes)
    }

    /// The case key: HKDF-SHA-256 of the provider secret, salted with the case's random
    /// nonce (`CaseNonce`, the 32 bytes its hex names), so pseudonyms are stable within a
    /// case and unlinkable across cases — even two requests under the same id.
    public static func derive(secret: SecretBytes, caseNonce: String) -> SecretBytes {
        HKDF.sha256(ikm: secret, salt: Hex.decode(caseNonce) ?? Array(caseNonce.utf8), info: Array("disclose/pseudonym/v2".utf8))
    }
}

/// Rules for files that hold secrets.
public enum SecretFile {
    /// Refuses a secret file that group or others can read (the key may already have
    /// leaked; fix the mode and consider rotating).
    public static func checkPermissions(path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw InputError(file: path, message: "cannot read: \(String(cString: strerror(errno)))", hint: "check the path")
        }
        if st.st_mode & 0o077 != 0 {
            throw InputError(file: path, message: "secret file is readable by group or others (mode \(String(st.st_mode & 0o777, radix: 8)))",
                             hint: "chmod 600 \(path)")
        }
    }
}
