import Foundation
import Testing

@testable import Server

@Suite struct MultipartReaderTests {
    static let body = Array(
        ("--b0und\r\nContent-Disposition: form-data; name=\"case\"\r\n\r\n96301BG0012345\r\n"
            + "--b0und\r\nContent-Disposition: form-data; name=\"file\"; filename=\"seite 1.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
            + "AB\r\n--b0unC\r\n-b0und\r\n--b0un\r\n"
            + "--b0und--\r\nepilogue").utf8)

    /// Feeds the body split at `cut` and collects (name, content) per part.
    static func parts(_ body: [UInt8], chunks: [Int]) throws -> [(MultipartPartHeader, [UInt8])] {
        var reader = MultipartReader(boundary: "b0und")
        var result: [(MultipartPartHeader, [UInt8])] = []
        var start = 0
        for end in chunks + [body.count] where end >= start {
            for event in try reader.feed(body[start..<end]) {
                switch event {
                case .partStarted(let header): result.append((header, []))
                case .content(let bytes): result[result.count - 1].1 += bytes
                case .partEnded: break
                }
            }
            start = end
        }
        try reader.finish()
        return result
    }

    @Test("parts and their content are the same wherever the network splits the body, also inside a boundary")
    func splitAnywhere() throws {
        let whole = try Self.parts(Self.body, chunks: [])
        #expect(whole.map(\.0.name) == ["case", "file"])
        #expect(whole[0].1 == Array("96301BG0012345".utf8))
        #expect(whole[1].0.fileName == "seite 1.jpg")
        #expect(whole[1].0.contentType == "image/jpeg")
        #expect(whole[1].1 == Array("AB\r\n--b0unC\r\n-b0und\r\n--b0un".utf8))
        for cut in 1..<Self.body.count {
            let split = try Self.parts(Self.body, chunks: [cut])
            #expect(split.map(\.1) == whole.map(\.1), "split at \(cut)")
        }
        let bytewise = try Self.parts(Self.body, chunks: Array(1..<Self.body.count))
        #expect(bytewise.map(\.1) == whole.map(\.1))
    }

    @Test("malformed bodies are errors that say what is wrong", arguments: [
        ("--b0und\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nAB", "closing boundary"),
        ("--b0und\r\nContent-Type: text/plain\r\n\r\nAB\r\n--b0und--", "Content-Disposition"),
        ("--b0und\r\nContent-Disposition: attachment\r\n\r\nAB\r\n--b0und--", "form-data"),
        ("--b0und\r\nno colon here\r\n\r\nAB\r\n--b0und--", "no ':'"),
        ("", "no part"),
        ("--b0undXY", "neither a line break"),
    ])
    func malformed(body: String, expected: String) {
        #expect {
            _ = try Self.parts(Array(body.utf8), chunks: [])
        } throws: { error in
            (error as? MultipartError)?.reason.contains(expected) == true
        }
    }

    @Test("the boundary is taken from the Content-Type, quoted or not; a missing or overlong one is nil")
    func boundaryParameter() {
        #expect(MultipartReader.boundary(fromContentType: "multipart/form-data; boundary=abc") == "abc")
        #expect(MultipartReader.boundary(fromContentType: "multipart/form-data; charset=utf-8; boundary=\"a b\"") == "a b")
        #expect(MultipartReader.boundary(fromContentType: "multipart/form-data") == nil)
        #expect(MultipartReader.boundary(fromContentType: "multipart/form-data; boundary=" + String(repeating: "x", count: 71)) == nil)
    }
}
