import FuzzHarness

/// libFuzzer entry point for the `age-armor` target; see `Harness.ageArmor`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    Harness.ageArmor(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// SwiftPM links executables with `main` aliased to `FuzzAgeArmor_main`; hand control to
/// libFuzzer's driver from there.
@_cdecl("FuzzAgeArmor_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
