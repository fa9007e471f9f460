// swift-tools-version:6.0
// Fuzzers for Disclose (issue 8). Not part of the product and not built by the root
// package or its CI: the path dependency below only makes the library targets available
// to the fuzz executables. Build and run them with scripts/fuzz.sh, which passes
// -sanitize=fuzzer,address. Each executable is one libFuzzer target; the shared harness
// code (what each target feeds to which public entry point) is in FuzzHarness.
import PackageDescription

let targets = ["jsonl", "csv", "age-header", "age-armor", "age-payload", "minisign", "documents", "hi1", "verify"]

func moduleName(_ t: String) -> String {
    "Fuzz" + t.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
}

let package = Package(
    name: "DiscloseFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "Disclose", path: "..")],
    targets: [
        .target(name: "FuzzHarness", dependencies: [
            .product(name: "DiscloseKit", package: "Disclose"),
        ]),
    ] + targets.map { t in
        .executableTarget(name: moduleName(t), dependencies: ["FuzzHarness"], path: "Sources/Targets/\(t)")
    },
    swiftLanguageModes: [.v5]
)
