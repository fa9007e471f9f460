import Foundation

/// Directories left by exports that were killed before their rename (`.NAME.partial-PID-UUID`).
enum PartialBundles {
    /// Removes the partial directories for `name` whose process no longer runs. They
    /// hold only ciphertext and never verify, but they should not pile up.
    static func removeStale(parent: String, name: String) {
        AtomicFile.sweepStale(dir: parent, name: name, marker: ".partial-")
    }
}

/// Renaming a finished directory into place without replacing an existing one.
enum BundleRename {
    static func noReplace(from: String, to: String) -> Bool {
        // renameat2(RENAME_NOREPLACE) refuses an existing target atomically (Linux ≥ 3.15).
        #if os(Linux)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        if let symbol = dlsym(nil, "renameat2") {
            let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
            let rc = from.withCString { f in to.withCString { t in renameat2(AT_FDCWD, f, AT_FDCWD, t, 1 /* RENAME_NOREPLACE */) } }
            if rc == 0 { return true }
            if errno != ENOSYS && errno != EINVAL { return false }
        }
        #endif
        var st = stat()
        if lstat(to, &st) == 0 { errno = EEXIST; return false }
        return rename(from, to) == 0
    }
}
