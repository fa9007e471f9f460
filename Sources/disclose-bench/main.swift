import Foundation

// disclose-bench SECTION: performance measured by a program, not by timed tests.
let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "age": try AgeBenchmark.run(Array(arguments.dropFirst()))
    default:
        print("usage: disclose-bench age [--size-mb N]")
        exit(2)
    }
} catch {
    print("disclose-bench: error: \(error)")
    exit(1)
}
