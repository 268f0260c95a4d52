import ArgumentParser
import Foundation

// Debian's libtesseract uses OpenMP; libgomp reads OMP_THREAD_LIMIT once, when it loads,
// which is before any Swift code runs. So the process re-executes itself once with the
// variable set, and every later stage sees a single-threaded OpenMP.
ThreadLimit.ensureSingleThreadedOpenMP()

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
