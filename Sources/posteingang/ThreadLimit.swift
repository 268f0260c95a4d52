import Foundation

enum ThreadLimit {
    static func ensureSingleThreadedOpenMP() {
        if let value = getenv("OMP_THREAD_LIMIT"), String(cString: value) == "1" { return }
        setenv("OMP_THREAD_LIMIT", "1", 1)
        let arguments = CommandLine.unsafeArgv
        execv("/proc/self/exe", arguments)
        // execv only returns on failure; carry on, slower but correct.
        let message = "posteingang: warning: could not re-execute with OMP_THREAD_LIMIT=1 (\(String(cString: strerror(errno)))); OCR of parallel pages will be slow\n"
        FileHandle.standardError.write(Data(message.utf8))
    }
}
