import Akte
import ArgumentParser
import Classification
import Foundation

/// `posteingang tokens …`: access tokens of the upload API. Only a token's SHA-256 is stored; the
/// token itself is printed once, at `create`.
struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "Issue, list and revoke access tokens of the upload API.",
        subcommands: [TokensCreateCommand.self, TokensListCommand.self, TokensRevokeCommand.self])
}

/// `posteingang tokens create --client NAME [--case BG] [--rate N/min]`.
struct TokensCreateCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Issue a token; it is printed once and stored only as its SHA-256.",
        discussion: """
            The client name becomes the channel of its uploads in the E-Akte. A token bound to a household \
            (--case) uploads only to it and reads only its own uploads' status. Prints the token on the \
            first line of standard output (nothing else there), the details on standard error.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The client's name (letters, digits, '-', '_', '.'), e.g. jobcenter-app.") var client: String
    @Option(name: .customLong("case"), help: "Bind the token to this household's BG-Nummer.") var caseID: String?
    @Option(help: "Uploads allowed per minute, e.g. 60 or 60/min.") var rate: String = "60/min"

    func execute() async throws {
        let perMinute = try Self.parseRate(rate)
        let akte = try store.openStore(create: true)
        let bound = caseID.map { CaseIdentifiers.normalizeAny($0.trimmingCharacters(in: .whitespaces)) }
        let issued: IssuedAPIToken
        do {
            issued = try akte.issueAPIToken(client: client, caseID: bound, ratePerMinute: perMinute, by: store.who)
        } catch let error as AkteError {
            throw ValidationError(error.description)
        }
        print(issued.secret)
        FileHandle.standardError.write(Data("token \(issued.token.id) for client '\(issued.token.client)'\(bound.map { ", case \($0)" } ?? ""), \(perMinute)/min; store it now, it is not shown again\n".utf8))
    }

    static func parseRate(_ text: String) throws -> Int {
        var value = text.trimmingCharacters(in: .whitespaces).lowercased()
        for suffix in ["/min", "/m", "per minute"] where value.hasSuffix(suffix) { value = String(value.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces) }
        guard let number = Int(value), (1...100_000).contains(number) else {
            throw ValidationError("--rate '\(text)' is not accepted: give uploads per minute as a whole number from 1 to 100000, e.g. 60 or 60/min")
        }
        return number
    }
}

/// `posteingang tokens list`.
struct TokensListCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the tokens (never the secrets).")
    @OptionGroup var store: StoreOptions

    func execute() async throws {
        let akte = try store.openStore()
        let tokens = try akte.apiTokens()
        if tokens.isEmpty { print("no tokens; issue one with `posteingang tokens create --client NAME`") }
        for token in tokens {
            let state = token.revokedAt.map { "revoked \(Display.date($0))" } ?? "active"
            print("\(token.id)  \(token.client)  case=\(token.caseID ?? "-")  \(token.ratePerMinute)/min  created \(Display.date(token.createdAt)) by \(token.createdBy)  \(state)")
        }
    }
}

/// `posteingang tokens revoke ID`.
struct TokensRevokeCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token by its id; its next request is answered 401.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "The token's id (tok-…), as `tokens list` shows it.") var id: String

    func execute() async throws {
        let akte = try store.openStore()
        do {
            let token = try akte.revokeAPIToken(id: id, by: store.who)
            print("revoked \(token.id) (client '\(token.client)')")
        } catch let error as AkteError {
            throw ValidationError(error.description)
        }
    }
}
