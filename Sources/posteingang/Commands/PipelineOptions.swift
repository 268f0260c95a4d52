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
    @Option(help: "Worker threads, each with its own OCR engine (default: number of cores).")
    var workers: Int?

    func validate() throws {
        if let workers, !(1...64).contains(workers) {
            throw ValidationError("--workers must be between 1 and 64, got \(workers)")
        }
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
        do {
            return try EnginePool(size: workerCount)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
