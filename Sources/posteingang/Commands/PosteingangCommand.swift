import ArgumentParser
import Foundation

/// The `posteingang` command line.
struct PosteingangCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "posteingang",
        abstract: "Digital mailroom for Jobcenters: reads, classifies and files citizens' documents.",
        subcommands: [
            ProcessCommand.self,
            EvalCommand.self,
            ReadCommand.self,
            RunCommand.self,
            ServeCommand.self,
            QueueBenchmarkCommand.self,
            TokensCommand.self,
            CasesCommand.self,
            InboxCommand.self,
            ReviewCommand.self,
            AkteCommand.self,
            RequestsCommand.self,
            AssignCommand.self,
            ReclassifyCommand.self,
            SetFieldCommand.self,
            SearchCommand.self,
            StatusCommand.self,
            ExportCommand.self,
            AuditCommand.self,
            WorkCommand.self,
            UsersCommand.self,
            ExplainCommand.self,
            BenchmarkCommand.self,
            BlobsCommand.self,
            StoreCommand.self,
            VersionCommand.self,
            DecodeCommand.self,
            TrainCommand.self,
            RulesCommand.self,
        ])
}

/// A subcommand whose work is asynchronous. `main.swift` parses the command line and calls
/// `execute()`; this sidesteps ArgumentParser's platform-dependent async entry point.
protocol AsyncSubcommand: ParsableCommand {
    func execute() async throws
}
