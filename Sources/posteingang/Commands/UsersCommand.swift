import Akte
import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `posteingang users …`: caseworkers' accounts for the web pages.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Manage caseworkers' accounts for the web pages.",
        subcommands: [UsersAddCommand.self, UsersListCommand.self, UsersPasswdCommand.self, UsersDisableCommand.self])
}

/// The password for `users add` / `users passwd`: one line on standard input, or typed twice
/// at a terminal.
struct PasswordInput: ParsableArguments {
    @Flag(help: "Read the password from the first line of standard input (for scripts).")
    var passwordStdin = false

    func read() throws -> String {
        let password: String
        if passwordStdin {
            guard let line = Swift.readLine(strippingNewline: true) else {
                throw ValidationError("--password-stdin: standard input is empty; pipe the password in, one line")
            }
            password = line
        } else {
            guard isatty(STDIN_FILENO) == 1 else {
                throw ValidationError("no terminal to ask for the password; pass --password-stdin and pipe it in")
            }
            guard let first = Self.readHidden("Password: "), let second = Self.readHidden("Password again: ") else {
                throw ValidationError("could not read the password from the terminal")
            }
            guard first == second else { throw ValidationError("the two passwords differ; nothing was changed") }
            password = first
        }
        do {
            try PasswordHash.checkStrength(password)
        } catch {
            throw ValidationError("\(error)")
        }
        return password
    }

    /// Reads a line from the terminal with echo off.
    private static func readHidden(_ prompt: String) -> String? {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return nil }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            _ = tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return Swift.readLine(strippingNewline: true)
    }
}

struct UsersAddCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a caseworker's account.",
        discussion: "Roles: sachbearbeitung (the web pages), gesundheit (also health data: sick notes, documents marked sensitive), datenschutz (the access log: who saw which household's documents).")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Login name (lower-case letters, digits, '.', '_', '-').") var name: String
    @Option(name: .customLong("role"), parsing: .upToNextOption, help: "One or more roles: sachbearbeitung, gesundheit, datenschutz.")
    var roles: [String] = []
    @OptionGroup var password: PasswordInput

    func validate() throws {
        guard !roles.isEmpty else { throw ValidationError("give at least one --role (accepted: sachbearbeitung, gesundheit, datenschutz)") }
    }

    func execute() async throws {
        let parsedRoles: Set<CaseworkerRole>
        do {
            parsedRoles = Set(try roles.map(CaseworkerRole.parse))
            try CaseworkerAccount.checkUsername(name)
        } catch {
            throw ValidationError("\(error)")
        }
        let akte = try store.openStore(create: true)
        let hash = try PasswordHash.make(try password.read())
        do {
            try akte.addCaseworker(username: name, roles: parsedRoles, passwordHash: hash, by: store.who)
        } catch {
            throw ValidationError("\(error)")
        }
        print("user \(name) added with role(s) \(parsedRoles.map(\.rawValue).sorted().joined(separator: ", "))")
    }
}

struct UsersListCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The accounts, with roles and state.")
    @OptionGroup var store: StoreOptions

    func execute() async throws {
        let accounts = try store.openStore().caseworkers()
        if accounts.isEmpty { print("no users"); return }
        for account in accounts {
            var state = account.disabled ? "disabled" : "active"
            if account.failedLogins > 0 { state += ", \(account.failedLogins) failed login(s) since the last success" }
            let roles = account.roles.map(\.rawValue).sorted().joined(separator: ",")
            print("\(account.username.padding(toLength: 20, withPad: " ", startingAt: 0)) \(roles.padding(toLength: 28, withPad: " ", startingAt: 0)) \(state)")
        }
    }
}

struct UsersPasswdCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd", abstract: "Set a new password (ends the user's sessions).")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Login name.") var name: String
    @OptionGroup var password: PasswordInput

    func execute() async throws {
        let akte = try store.openStore()
        guard try akte.caseworker(name) != nil else { throw ValidationError("no user '\(name)'; list them with `users list`") }
        try akte.setCaseworkerPassword(username: name, passwordHash: try PasswordHash.make(try password.read()), by: store.who)
        print("password of \(name) changed; their sessions are closed")
    }
}

struct UsersDisableCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: "Disable an account (its sessions end at once); --enable turns it on again.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Login name.") var name: String
    @Flag(help: "Enable the account again instead.") var enable = false

    func execute() async throws {
        let akte = try store.openStore()
        do {
            try akte.setCaseworkerDisabled(username: name, !enable, by: store.who)
        } catch {
            throw ValidationError("\(error)")
        }
        print(enable ? "user \(name) enabled" : "user \(name) disabled; their sessions are closed")
    }
}
