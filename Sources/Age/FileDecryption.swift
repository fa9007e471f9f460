import Foundation

extension Decryptor {
    /// Decrypts the age file at `source` to `destination` atomically.
    ///
    /// Plaintext goes to a temporary file (mode 0600) in the destination's directory,
    /// which is fsynced and renamed over `destination` only after the final chunk and
    /// the end-of-file check passed. On any failure the temporary file is removed, so
    /// unlike stock `age` a failed decryption leaves no partial output behind.
    /// With `overwrite: false` an existing `destination` is never replaced: the finished
    /// file is linked into place, which fails if anything appeared there meanwhile.
    public func decryptFile(at source: URL, to destination: URL, overwrite: Bool = true) throws {
        let inFD = open(source.path, O_RDONLY | O_CLOEXEC)
        guard inFD >= 0 else { throw AgeError.io("cannot open \(source.path): \(String(cString: strerror(errno)))") }
        defer { close(inFD) }

        let directory = destination.deletingLastPathComponent().path
        var template = Array("\(directory)/.\(destination.lastPathComponent).XXXXXX".utf8CString)
        let outFD = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) } // mode 0600
        guard outFD >= 0 else { throw AgeError.io("cannot create a temporary file in \(directory): \(String(cString: strerror(errno)))") }
        let tempPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var committed = false
        defer {
            if !committed { unlink(tempPath) }
        }
        do {
            defer { close(outFD) }
            try decrypt(fileDescriptor: inFD) { (bytes) throws in
                try FileOutput.writeAll(fd: outFD, bytes, path: tempPath)
            }
            guard fsync(outFD) == 0 else { throw AgeError.io("fsync \(tempPath): \(String(cString: strerror(errno)))") }
        }
        if overwrite {
            guard rename(tempPath, destination.path) == 0 else {
                throw AgeError.io("cannot rename into \(destination.path): \(String(cString: strerror(errno)))")
            }
        } else {
            guard link(tempPath, destination.path) == 0 else {
                throw AgeError.io(errno == EEXIST ? "\(destination.path) already exists; not replaced" : "cannot create \(destination.path): \(String(cString: strerror(errno)))")
            }
            unlink(tempPath)
        }
        committed = true
        // Make the rename itself durable.
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 { _ = fsync(dirFD); close(dirFD) }
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
        let directory = destination.deletingLastPathComponent().path
        var template = Array("\(directory)/.\(destination.lastPathComponent).XXXXXX".utf8CString)
        let outFD = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard outFD >= 0 else { throw AgeError.io("cannot create a temporary file in \(directory): \(String(cString: strerror(errno)))") }
        let tempPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var committed = false
        defer { if !committed { unlink(tempPath) } }
        do {
            defer { close(outFD) }
            let encryptor = try Encryptor(recipients: recipients, armored: armored) { bytes in
                try FileOutput.writeAll(fd: outFD, bytes, path: tempPath)
            }
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
            guard fsync(outFD) == 0 else { throw AgeError.io("fsync \(tempPath): \(String(cString: strerror(errno)))") }
        }
        guard rename(tempPath, destination.path) == 0 else {
            throw AgeError.io("cannot rename into \(destination.path): \(String(cString: strerror(errno)))")
        }
        committed = true
    }
}
