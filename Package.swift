// swift-tools-version:6.0
// Disclose: scoped, encrypted, signed answers to lawful data requests.
// No package dependencies: the only outside library is libsodium (libsodium-dev).
import PackageDescription

let package = Package(
    name: "Disclose",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "disclose", targets: ["disclose"]),
        .library(name: "DiscloseKit", targets: ["DiscloseKit"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSodium",
            path: "Sources/CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]
        ),
        .target(name: "Sodium", dependencies: ["CSodium"]),
        .target(name: "Age", dependencies: ["Sodium", "Primitives"]),
        .target(name: "Minisign", dependencies: ["Sodium"]),
        // Value types and byte kernels shared by the engine and the HI-1 format: Instant and its
        // RFC 3339 / epoch time parsing, strict UTF-8 validation. Depends on nothing.
        .target(name: "Primitives"),
        // ETSI TS 103 120 (HI-1): strict XML reader/writer, message model, readers and writers.
        // Knows nothing of Disclose's policy, requests or plans (DiscloseKit maps those).
        .target(name: "HI1", dependencies: ["Sodium", "Primitives"]),
        // The streaming record engine: byte reading, the JSON scanner and writer, CSV, time and IP
        // parsing, field paths and actions, identifier matching, the field checker. Decides nothing:
        // it is told each field's action and knows no policy, request, bundle or audit log.
        // The per-record hot path stays inside this one module.
        .target(name: "Records", dependencies: ["Sodium", "Primitives"]),
        .target(name: "DiscloseKit", dependencies: ["Sodium", "Age", "Minisign", "Primitives", "HI1", "Records"]),
        .executableTarget(name: "disclose", dependencies: ["DiscloseKit", "Age", "Minisign", "Primitives", "Records"]),
        .executableTarget(name: "disclose-bench", dependencies: ["DiscloseKit", "Records", "Age", "Sodium"]),
        // Helpers every test target shares: temporary directories, the example-case workspace,
        // running the `disclose` binary and other programs, finding stock tools (with CI=true
        // a missing tool is a failure, otherwise a skip). Not a test target itself.
        .target(name: "DiscloseTestSupport", path: "Tests/DiscloseTestSupport"),
        // Tests by kind. Library (unit) tests, one target per library target:
        .testTarget(name: "SodiumTests", dependencies: ["Sodium"]),
        .testTarget(name: "AgeTests", dependencies: ["Age", "Sodium", "DiscloseTestSupport"]),
        .testTarget(name: "MinisignTests", dependencies: ["Minisign", "Sodium", "DiscloseTestSupport"], resources: [.copy("Vectors")]),
        .testTarget(name: "HI1Tests", dependencies: ["HI1", "Primitives"]),
        // DiscloseKit in process, including plan → export → verify on an example case.
        .testTarget(name: "DiscloseKitTests", dependencies: ["DiscloseKit", "Records", "Minisign", "Primitives", "Age", "DiscloseTestSupport"]),
        // The command line as a subprocess: arguments, messages, exit codes, files written.
        // Golden plans and fuzz regressions are data read from the checkout, not resources.
        .testTarget(name: "discloseTests", dependencies: ["disclose", "DiscloseKit", "DiscloseTestSupport"], exclude: ["Golden", "FuzzRegressions"]),
        // The system: interop with the stock age, minisign, sha512sum, BagIt and Chromium,
        // kill and race tests, the demo script and the README walkthrough.
        .testTarget(name: "SystemTests", dependencies: ["disclose", "DiscloseKit", "DiscloseTestSupport"]),
    ]
)
