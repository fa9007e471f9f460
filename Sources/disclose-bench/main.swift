import Foundation

// disclose-bench SECTION: performance measured by a program, not by timed tests.
let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "case": try CaseBenchmark.run(Array(arguments.dropFirst()))
    case "age": try AgeBenchmark.run(Array(arguments.dropFirst()))
    default:
        print("usage: disclose-bench case [--size-mb N] [--subject-every N] [--keep] | age [--size-mb N] [--runs N]")
        exit(2)
    }
} catch {
    print("disclose-bench: error: \(error)")
    exit(1)
}
