import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Abuse limits: guesses, oversized bodies, stalled clients")
struct AbuseLimitsTests {
    @Test("a JSON body over 256 KB is refused with 413 before it is read into memory; a form over 1 MB likewise", arguments: [TestEngine.sqlite])
    func oversizedBodies(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let (token, _) = try await RequestHTTPTests.householdToken(app, client: client)
            let big = String(repeating: "米", count: 100_000)   // 300 KB of UTF-8
            let response = try await client.json("/api/v1/requests", method: .post, token: token, body: #"{"category":"food","description":"\#(big)"}"#)
            #expect(response.status == .contentTooLarge)
            #expect((try response.jsonObject()["error"] as? [String: Any])?["code"] as? String == "too_large")
            let form = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "phone=1&password=" + String(repeating: "x", count: 1_100_000))
            )
            #expect(form.status == .contentTooLarge)
            let count = try await app.store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM requests").first()?.decode(column: "n", as: Int.self) }
            #expect(count == 0)
        }
    }

    @Test("wrong passwords for one phone from one address are limited: 429 with Retry-After, even with the right password from that address", arguments: TestEngine.available)
    func loginGuesses(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let phone = try app.account(.buildingLeader).phone
            var statuses: [HTTPResponse.Status] = []
            var retryAfter: String?
            for attempt in 0..<12 {
                let response = try await client.json("/api/v1/auth/token", method: .post, body: #"{"phone":"\#(phone)","password":"wrong-\#(attempt)"}"#)
                statuses.append(response.status)
                if response.status == .tooManyRequests { retryAfter = response.headers[.retryAfter] }
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests)
            #expect(retryAfter.flatMap(Int.init).map { $0 > 0 } == true, "Retry-After: \(retryAfter ?? "none")")
            let right = try await client.json("/api/v1/auth/token", method: .post, body: #"{"phone":"\#(phone)","password":"\#(DemoSeeder.password)"}"#)
            #expect(right.status == .tooManyRequests, "the guesser's address waits, whatever the password")
        }
    }

    @Test("a client that sends half a request and stalls is disconnected after the idle timeout")
    func stalledClient() async throws {
        try await withTestStore(.sqlite) { store in
            let services = TestApp.services(store: store)
            let app = buildApplication(ServerConfiguration(port: 0, idleTimeout: 0.5), services: services, runJobs: false)
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let started = Date()
                let outcome = try Self.sendAndWaitForClose(port: port, bytes: "POST /api/v1/auth/token HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"phone\":")
                #expect(outcome == .closed, "\(outcome)")
                #expect(Date().timeIntervalSince(started) < 4)
            }
        }
    }

    enum SocketOutcome: Equatable { case closed, stillOpen, failed(Int32) }

    /// Connects, writes `bytes`, then waits (at most 5 s) for the server to close the connection.
    static func sendAndWaitForClose(port: Int, bytes: String) throws -> SocketOutcome {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .failed(errno) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return .failed(errno) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let data = Array(bytes.utf8)
        guard send(fd, data, data.count, 0) == data.count else { return .failed(errno) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let received = recv(fd, &buffer, buffer.count, 0)
            if received == 0 { return .closed }
            if received < 0 { return errno == EAGAIN || errno == EWOULDBLOCK ? .stillOpen : .closed }
            // A response (e.g. 408) before the close is fine; keep reading until the close.
        }
    }
}
