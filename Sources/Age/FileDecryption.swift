import Foundation
import Primitives

extension Decryptor {
    /// Decrypts the age file at `source` to `destination` atomically.
    ///
    /// Plaintext goes to a temporary file (mode 0600) in the destination's directory
    /// (`AtomicWriter`), which is fsynced and renamed over `destination` only after the
    /// final chunk and the end-of-file check passed. On any failure the temporary file is removed, so
    /// unlike stock `age` a failed decryption leaves no partial output behind.
    /// With `overwrite: false` an existing `destination` is never replaced: the finished
    /// file is linked into place, which fails if anything appeared there meanwhile.
    public func decryptFile(at source: URL, to destination: URL, overwrite: Bool = true) throws {
        let inFD = open(source.path, O_RDONLY | O_CLOEXEC)
        guard inFD >= 0 else { throw AgeError.io("cannot open \(source.path): \(String(cString: strerror(errno)))") }
        defer { close(inFD) }

        let writer = try AtomicWriter(directory: destination.deletingLastPathComponent().path,
                                      name: destination.lastPathComponent, path: destination.path)
        try decrypt(fileDescriptor: inFD) { (bytes) throws in try writer.write(bytes) }
        try writer.commit(overwrite: overwrite, exists: "already exists; not replaced")
    }
}

extension Encryptor {
    /// Encrypts the file at `source` to `recipients`, writing the age file to
    /// `destination` through a 0600 temporary file that is renamed into place only
    /// when encryption completed.
    public static func encryptFile(at source: URL, to destination: URL, recipients: [Recipient], armored: Bool = false) throws {
        let inFD = open(source.path, O_RDONLY | O_CLOEXEC)
        guard inFD >= 0 else { throw AgeError.io("cannot open \(source.path): \(String(cString: strerror(errno)))") }
        defer { close(inFD) }
        let writer = try AtomicWriter(directory: destination.deletingLastPathComponent().path,
                                      name: destination.lastPathComponent, path: destination.path)
        do {
            let encryptor = try Encryptor(recipients: recipients, armored: armored) { bytes in try writer.write(bytes) }
            let source = FileDescriptorSource(fd: inFD)
            let chunk = 4 << 20
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
            defer { buffer.deallocate() }
            while true {
                let n = try source.read(into: buffer)
                if n == 0 { break }
                try encryptor.write(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            }
            try encryptor.finish()
        }
        try writer.commit(overwrite: true)
    }
}
