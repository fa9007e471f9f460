import Foundation

/// Where things are: the package root and the `disclose` binary built with the tests.
package enum Binary {
    /// The package root (the directory holding Package.swift), found from this file.
    package static let packageRoot: String = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir.path }
            dir = dir.deletingLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()

    /// The `disclose` executable: `$DISCLOSE_BIN`, else next to the running test bundle
    /// (whatever the scratch path: .build, .build-e2e, …), else `<root>/.build/debug/disclose`.
    package static let disclose: String = {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["DISCLOSE_BIN"], !env.isEmpty { return env }
        var dirs: [URL] = []
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            dirs.append(bundle.bundleURL.deletingLastPathComponent())
        }
        var exe = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        #if os(Linux)
        if let self_ = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") { exe = URL(fileURLWithPath: self_) }
        #endif
        var d = exe.resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 { dirs.append(d); d = d.deletingLastPathComponent() }   // e.g. X.xctest/Contents/MacOS → debug
        for dir in dirs {
            let candidate = dir.appendingPathComponent("disclose").path
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue, fm.isExecutableFile(atPath: candidate) { return candidate }
        }
        return packageRoot + "/.build/debug/disclose"
    }()
}
