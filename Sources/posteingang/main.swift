import ArgumentParser
import Foundation
import Imaging

// Debian's libtesseract uses OpenMP; libgomp reads OMP_THREAD_LIMIT once, when it loads,
// which is before any Swift code runs. So the process re-executes itself once with the
// variable set, and every later stage sees a single-threaded OpenMP.
ThreadLimit.ensureSingleThreadedOpenMP()

// `posteingang decode-worker …`: the decoder child, where the small `posteingang-decode` program
// is missing. Not for people, so not among the listed commands; the same command line as
// `posteingang-decode`, read by the same code (`DecodeWorker.main`).
if CommandLine.arguments.dropFirst().first == "decode-worker" {
    exit(DecodeWorker.main(arguments: Array(CommandLine.arguments.dropFirst())))
}

do {
    var command = try PosteingangCommand.parseAsRoot()
    if let subcommand = command as? AsyncSubcommand {
        try await subcommand.execute()
    } else {
        try command.run()
    }
} catch {
    PosteingangCommand.exit(withError: error)
}
