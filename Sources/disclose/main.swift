import Foundation

// Secrets stay secret, also after a crash: this process holds passphrases, secret keys
// and withheld record values, so it never writes a core file (RLIMIT_CORE 0) and, on
// Linux, is not dumpable (no core even if a parent raised the limit again, no ptrace
// attach by other processes of the same user).
var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
_ = setrlimit(Int32(RLIMIT_CORE.rawValue), &noCore)
#if os(Linux)
@_silgen_name("prctl") func prctl(_ option: Int32, _ arg2: UInt, _ arg3: UInt, _ arg4: UInt, _ arg5: UInt) -> Int32
_ = prctl(4 /* PR_SET_DUMPABLE */, 0, 0, 0, 0)
#endif

// The thin front end: parse, run, print. Every decision lives in DiscloseKit.
exit(CLI.nonUTF8Argument() ?? CLI.run(Array(CommandLine.arguments.dropFirst())))
