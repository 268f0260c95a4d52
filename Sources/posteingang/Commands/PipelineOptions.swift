import ArgumentParser
import Classification
import Foundation
import OCR
import Pipeline

/// Options shared by the commands that run the pipeline.
struct PipelineOptions: ParsableArguments {
    @Option(help: "The operators' rules file.") var config: String = "pipeline.yml"
    @Option(help: "Case register CSV (bg_nummer,kundennummer,nachname,vorname,geburtsdatum,strasse,plz,ort).")
    var cases: String?
    @Option(help: "Worker threads, each with its own OCR engine (default: number of cores; serve: 0 for no daemon beside the HTTP server).")
    var workers: Int?

    func validate() throws {
        // 0 only means something to `serve` (a front end without a daemon); the others refuse it in `workerCount`'s users.
        if let workers, !(0...64).contains(workers) {
            throw ValidationError("--workers must be between 1 and 64 (serve: 0 to 64), got \(workers)")
        }
    }

    /// Refuses `--workers 0` for a command that must read documents itself.
    func requireWorkers() throws {
        if workers == 0 { throw ValidationError("--workers must be between 1 and 64 here (0 is only for serve, as a front end without a daemon)") }
    }

    var workerCount: Int { workers ?? max(ProcessInfo.processInfo.activeProcessorCount, 1) }

    func loadConfiguration() throws -> PipelineConfiguration {
        let url = URL(fileURLWithPath: config)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ValidationError("configuration \(config) not found; pass --config PATH (the repository ships pipeline.yml)")
        }
        do {
            return try PipelineConfiguration.load(from: url)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func loadRegister(fallback: URL? = nil) throws -> CaseRegister? {
        let url = cases.map { URL(fileURLWithPath: $0) } ?? fallback
        guard let url else { return nil }
        guard FileManager.default.fileExists(atPath: url.path) else {
            if cases == nil { return nil }
            throw ValidationError("case register \(url.path) not found")
        }
        do {
            return try CaseRegister.load(from: url)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func makePool() throws -> EnginePool {
        try requireWorkers()
        do {
            return try EnginePool(size: workerCount)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
