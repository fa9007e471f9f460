import FuzzHarness

/// libFuzzer entry point for the `age-header` target; see `Harness.ageHeader`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    Harness.ageHeader(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// SwiftPM links executables with `main` aliased to `FuzzAgeHeader_main`; hand control to
/// libFuzzer's driver from there.
@_cdecl("FuzzAgeHeader_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
