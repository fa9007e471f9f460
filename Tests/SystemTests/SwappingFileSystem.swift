import DiscloseTestSupport
import Foundation
import Testing

/// A test file system layer that serves different bytes on the second open of a file: an
/// `LD_PRELOAD` shim (compiled once per test process with the system C compiler) over
/// `open`/`openat` and their variants. For every regular-file open under
/// `DISCLOSE_SWAP_ROOT` it notes the path relative to that root in `DISCLOSE_SWAP_LOG`,
/// and from the second open of the same relative path on it opens
/// `DISCLOSE_SWAP_FORGED/<relative path>` instead, when that exists. This is what an
/// attacker who controls the storage (a drop folder, a share, removable media) can do
/// between a verifier's hashing read and its parsing read — made deterministic.
enum SwappingFileSystem {
    static let source = #"""
    #define _GNU_SOURCE
    #include <dlfcn.h>
    #include <fcntl.h>
    #include <pthread.h>
    #include <stdarg.h>
    #include <stdio.h>
    #include <stdlib.h>
    #include <string.h>
    #include <sys/stat.h>
    #include <unistd.h>

    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    static char *seen[8192];
    static int nseen;

    static int absolute(int dirfd, const char *name, char *out, size_t n) {
        char base[4096];
        if (name[0] == '/') { snprintf(out, n, "%s", name); return 0; }
        if (dirfd == AT_FDCWD) { if (!getcwd(base, sizeof base)) return -1; }
        else {
            char link[64];
            snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
            ssize_t k = readlink(link, base, sizeof base - 1);
            if (k < 0) return -1;
            base[k] = 0;
        }
        snprintf(out, n, "%s/%s", base, name);
        return 0;
    }

    /* 1 when `alt` names the forged file to open instead. */
    static int swapped(int dirfd, const char *name, int flags, char *alt, size_t n) {
        const char *root = getenv("DISCLOSE_SWAP_ROOT"), *forged = getenv("DISCLOSE_SWAP_FORGED");
        if (!root || !name || (flags & O_DIRECTORY)) return 0;
        char full[8192];
        if (absolute(dirfd, name, full, sizeof full)) return 0;
        size_t rl = strlen(root);
        if (strncmp(full, root, rl) != 0 || full[rl] != '/') return 0;
        const char *rel = full + rl;
        while (*rel == '/' || (rel[0] == '.' && rel[1] == '/')) rel += (*rel == '/') ? 1 : 2;
        if (!*rel) return 0;
        pthread_mutex_lock(&mu);
        int count = 0;
        for (int i = 0; i < nseen; i++) if (strcmp(seen[i], rel) == 0) count++;
        if (nseen < 8192) seen[nseen++] = strdup(rel);
        const char *logPath = getenv("DISCLOSE_SWAP_LOG");
        if (logPath) {
            int (*real)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
            int fd = real(logPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
            if (fd >= 0) { write(fd, rel, strlen(rel)); write(fd, "\n", 1); close(fd); }
        }
        pthread_mutex_unlock(&mu);
        if (count == 0 || !forged) return 0;
        snprintf(alt, n, "%s/%s", forged, rel);
        struct stat st;
        return stat(alt, &st) == 0;
    }

    #define MODE_ARG mode_t mode = 0; if (flags & (O_CREAT | __O_TMPFILE)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }

    #define OPEN_WRAPPER(fn) \
    int fn(const char *path, int flags, ...) { \
        MODE_ARG \
        static int (*real)(const char *, int, ...); \
        if (!real) real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #fn); \
        char alt[8192]; \
        if (swapped(AT_FDCWD, path, flags, alt, sizeof alt)) return real(alt, flags & ~O_NOFOLLOW, mode); \
        return real(path, flags, mode); \
    }
    #define OPENAT_WRAPPER(fn) \
    int fn(int dirfd, const char *path, int flags, ...) { \
        MODE_ARG \
        static int (*real)(int, const char *, int, ...); \
        if (!real) real = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, #fn); \
        char alt[8192]; \
        if (swapped(dirfd, path, flags, alt, sizeof alt)) return real(AT_FDCWD, alt, flags & ~O_NOFOLLOW, mode); \
        return real(dirfd, path, flags, mode); \
    }
    OPEN_WRAPPER(open)
    OPEN_WRAPPER(open64)
    OPENAT_WRAPPER(openat)
    OPENAT_WRAPPER(openat64)

    int __open_2(const char *path, int flags) { return open(path, flags); }
    int __open64_2(const char *path, int flags) { return open64(path, flags); }
    int __openat_2(int dirfd, const char *path, int flags) { return openat(dirfd, path, flags); }
    int __openat64_2(int dirfd, const char *path, int flags) { return openat64(dirfd, path, flags); }
    """#

    /// The compiled shim (built once per test process).
    static let library: Result<String, any Error> = Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-swapfs-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try source.write(toFile: dir + "/swapfs.c", atomically: true, encoding: .utf8)
        // The system C compiler, else the Swift toolchain's clang.
        var attempts: [Run] = []
        for compiler in ["cc", "clang"] {
            guard let cc = try? Run.command(compiler, ["-shared", "-fPIC", "-O1", "-o", dir + "/swapfs.so", dir + "/swapfs.c", "-ldl", "-lpthread"]) else { continue }
            if cc.status == 0 { return dir + "/swapfs.so" }
            attempts.append(cc)
        }
        throw InputFailure(message: "cannot compile the test shim (needs cc or clang):\n\(attempts.map(\.description).joined(separator: "\n"))")
    }

    /// The environment that runs a command under the shim: files under `root` come from
    /// `forged` on their second open; every open is listed in `log`.
    static func environment(root: String, forged: String, log: String) throws -> [String: String] {
        var env = ["LD_PRELOAD": try library.get(), "DISCLOSE_SWAP_ROOT": root, "DISCLOSE_SWAP_FORGED": forged, "DISCLOSE_SWAP_LOG": log]
        // Under scripts/sanitize.sh address the binary carries ASan, which insists on being
        // first in the library list; the shim only wraps open, so let it come first.
        if let asan = ProcessInfo.processInfo.environment["ASAN_OPTIONS"] { env["ASAN_OPTIONS"] = asan + ":verify_asan_link_order=0" }
        return env
    }

    /// The relative paths the shim saw opened more than once.
    static func openedTwice(log: String) -> [String] {
        let lines = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        var counts: [String: Int] = [:]
        for l in lines { counts[l, default: 0] += 1 }
        return counts.filter { $0.value > 1 }.map(\.key).sorted()
    }

    struct InputFailure: Error, CustomStringConvertible { var message: String; var description: String { message } }
}
