import Foundation

// The thin front end: parse, run, print. Every decision lives in DiscloseKit.
exit(CLI.run(Array(CommandLine.arguments.dropFirst())))
