import FuzzHarness

/// libFuzzer entry point for the `jsonl` target; see `Harness.jsonl`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    Harness.jsonl(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// SwiftPM links executables with `main` aliased to `FuzzJsonl_main`; hand control to
/// libFuzzer's driver from there.
@_cdecl("FuzzJsonl_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
