import Age
import DiscloseKit
import Foundation
import Primitives

/// `disclose decrypt`: nothing is released before the whole file authenticated.
enum DecryptCommand {
    /// Largest plaintext held in memory when writing to standard output.
    static let stdoutLimit = 256 << 20

    static func run(identities paths: [String], output: String?, input: String?) throws -> Int32 {
        let identities = try KeyFiles.identities(paths: paths)
        let decryptor = Decryptor(identities: identities)
        if let output {
            // Never replace a file (it could be the identity itself): refuse an existing
            // target here, and link the finished file into place so a file that appears
            // meanwhile is not replaced either.
            var st = stat()
            if lstat(output, &st) == 0 {
                throw InputError(file: output, message: "already exists; decrypt never replaces a file",
                                 hint: "choose a new --output path (it is created with mode 0600), or remove the old file yourself first")
            }
            guard let input else {
                // Standard input to a file: still a temporary file, linked into place on success.
                return try toFile(decryptor, inputFD: 0, output: output)
            }
            try checkReadable(input)
            try decryptor.decryptFile(at: URL(fileURLWithPath: input), to: URL(fileURLWithPath: output), overwrite: false)
            return 0
        }
        // Standard output: buffer (bounded) and print only after the final chunk verified.
        var plaintext: [UInt8] = []
        let fd: Int32 = input.map { open($0, O_RDONLY | O_CLOEXEC) } ?? 0
        guard fd >= 0 else { throw InputError(file: input!, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { if input != nil { close(fd) } }
        try decryptor.decrypt(fileDescriptor: fd) { bytes in
            guard plaintext.count + bytes.count <= stdoutLimit else {
                throw UsageError(message: "plaintext larger than \(stdoutLimit >> 20) MiB", hint: "use --output FILE (written only after the whole file verified)")
            }
            plaintext.append(contentsOf: bytes)
        }
        defer { plaintext.withUnsafeMutableBytes { p in if let b = p.baseAddress { memset(b, 0, p.count) } } }
        Output.write(plaintext)
        return 0
    }

    private static func toFile(_ decryptor: Decryptor, inputFD: Int32, output: String) throws -> Int32 {
        let (dir, name) = try AtomicFile.fileName(output)
        let writer = try AtomicWriter(directory: dir, name: name, path: output)
        try decryptor.decrypt(fileDescriptor: inputFD) { bytes in try writer.write(bytes) }
        try writer.commit(overwrite: false, exists: "already exists; decrypt never replaces a file")
        return 0
    }

    private static func checkReadable(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else { throw InputError(file: path, message: "cannot read: \(String(cString: strerror(errno)))") }
        guard (st.st_mode & S_IFMT) == S_IFREG || (st.st_mode & S_IFMT) == S_IFIFO else { throw InputError(file: path, message: "not a regular file") }
    }
}
