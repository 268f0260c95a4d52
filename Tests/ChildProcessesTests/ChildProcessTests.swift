import ChildProcesses
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The one way to run a program: what it wrote, how it ended, and what goes wrong said plainly.
struct ChildProcessTests {
    @Test("Standard output, standard error and the exit status are collected apart")
    func collectsOutput() throws {
        let result = try ChildProcess("/bin/sh", ["-c", "echo aus; echo fehler >&2; exit 3"]).run()
        #expect(result.status == 3)
        #expect(result.standardOutput == "aus\n")
        #expect(result.standardError == "fehler\n")
        #expect(!result.succeeded)
        #expect(throws: ChildProcessError(program: "sh", reason: .failed(status: 3, message: "fehler"))) {
            try result.check("sh")
        }
    }

    @Test("Input reaches standard input; without input the child reads end of file at once")
    func input() throws {
        #expect(try ChildProcess("cat", input: Data("Bescheid\n".utf8)).run().standardOutput == "Bescheid\n")
        #expect(try ChildProcess("cat", timeout: 5).run().standardOutput == "")
    }

    @Test("A megabyte of output does not block the child (no pipe to fill)")
    func largeOutput() throws {
        let result = try ChildProcess("head", ["-c", "1048576", "/dev/zero"], timeout: 30).run()
        #expect(result.succeeded)
        #expect(result.stdout.count == 1_048_576)
    }

    @Test("A child past its timeout is killed and the error says how long it had")
    func timeout() throws {
        let started = Date()
        #expect(throws: ChildProcessError(program: "sleep", reason: .timedOut(seconds: 0.3))) {
            try ChildProcess("sleep", ["600"], timeout: 0.3).run()
        }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(
            ChildProcessError(program: "/usr/bin/sleep", reason: .timedOut(seconds: 0.3)).description
                == "sleep did not finish within 0.3 s and was stopped")
    }

    /// A poll doubling its sleep up to 50 ms would wake 163 ms after a 120 ms child started
    /// (1 + 2 + … + 32 + 50 + 50): every rendered PDF page would pay for it. The best of five
    /// runs allows for a loaded machine.
    @Test("The blocking run returns the moment the child ends, not at the next polling interval")
    func returnsAtOnce() throws {
        var best = Double.infinity
        for _ in 0..<5 {
            let started = Date()
            try ChildProcess("sleep", ["0.12"], timeout: 10).run().check("sleep")
            best = min(best, Date().timeIntervalSince(started))
        }
        #expect(best >= 0.12)
        #expect(best < 0.145, "best of five: \(Int(best * 1000)) ms for a 120 ms child")
    }

    @Test("Waiting on a running child ends when it ends; a second wait answers at once")
    func waitWakesOnEnd() throws {
        let log = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("child-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let child = try ChildProcess("/bin/sh", ["-c", "sleep 0.2; exit 4"]).start(log: log)
        #expect(child.wait(timeout: 0.01) == nil)
        #expect(child.wait(timeout: 30) == 4)
        #expect(child.wait(timeout: 0) == 4)
        #expect(child.wait(timeout: nil) == 4)
    }

    @Test("A child ended by a signal says which, as the shell's status 128 + N; its peak memory is measured")
    func signalAndMemory() throws {
        let result = try ChildProcess("/bin/sh", ["-c", "kill -SEGV $$"], timeout: 10).run()
        #expect(result.signal == SIGSEGV)
        #expect(result.status == 128 + SIGSEGV)
        #expect(result.peakMemoryBytes > 100_000)
        let clean = try ChildProcess("/bin/sh", ["-c", "exit 139"], timeout: 10).run()
        #expect(clean.signal == nil && clean.status == 139)
    }

    @Test("A group leader takes its helpers with it: one it left running when it ended, and all of them at its timeout")
    func processGroup() throws {
        let pidFile = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("helper-\(UUID().uuidString).pid")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        func helperGone() -> Bool {
            guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { return false }
            for _ in 0..<200 {
                // Gone, or a zombie waiting for whoever adopted it.
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
                if stat.split(separator: ")").last?.split(separator: " ").first == "Z" { return true }
                usleep(10_000)
            }
            return false
        }
        try ChildProcess("/bin/sh", ["-c", "sleep 600 & echo $! > \(pidFile.path)"], timeout: 10, processGroup: true).run().check("sh")
        #expect(helperGone())
        #expect(throws: ChildProcessError.self) {
            try ChildProcess("/bin/sh", ["-c", "sleep 600 & echo $! > \(pidFile.path); wait"], timeout: 0.5, processGroup: true).run()
        }
        #expect(helperGone())
    }

    /// (`sleep 600`, not less: on a loaded machine the polling task may not run again for many
    /// seconds, and a child that has ended by then has ended.)
    @Test("The async run gives the same result and honours the timeout")
    func asyncRun() async throws {
        let result = try await ChildProcess("/bin/sh", ["-c", "printf 'Seite 1'"]).run()
        #expect(result.standardOutput == "Seite 1")
        await #expect(throws: ChildProcessError.self) { try await ChildProcess("sleep", ["600"], timeout: 0.2).run() }
    }

    @Test("A program that is not installed names its Debian package")
    func notInstalled() throws {
        let error = #expect(throws: ChildProcessError.self) {
            try ChildProcess("posteingang-gibt-es-nicht", package: "poppler-utils").run()
        }
        #expect(error?.description == "posteingang-gibt-es-nicht is not installed (apt-get install poppler-utils)")
    }

    @Test("The child inherits no descriptor of ours beyond 0, 1 and 2, and runs in the folder it is given")
    func descriptorsAndFolder() throws {
        let leaked = open("/dev/null", O_RDONLY)  // deliberately without O_CLOEXEC
        defer { close(leaked) }
        let result = try ChildProcess("/bin/sh", ["-c", "ls /proc/$$/fd; pwd"], directory: URL(fileURLWithPath: "/tmp")).run()
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(!lines.dropLast().contains(String(leaked)), "\(lines)")
        #expect(lines.last == "/tmp")
    }

    @Test("A running child is stopped with SIGTERM, its output appended to its log")
    func runningChild() throws {
        let log = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("child-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let child = try ChildProcess("/bin/sh", ["-c", "echo bereit; exec sleep 30"]).start(log: log)
        var ready = false
        for _ in 0..<100 where !ready {
            ready = child.output == "bereit\n"
            usleep(20_000)
        }
        #expect(ready)
        #expect(child.isRunning)
        #expect(child.stop(grace: 5) == 128 + SIGTERM)
        #expect(!child.isRunning)
    }
}
