import Akte
import Foundation
import SpoolFiles
import Testing

@testable import Server

@Suite struct ServerSmokeTests {
    @Test func routerBuildsOnARealStore() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("srv-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = DataDirectory(root)
        try directory.create()
        let akte = try SQLiteAkte(path: directory.database.path)
        _ = PosteingangServer.router(environment: ServerEnvironment(directory: directory, akte: akte))
    }
}
