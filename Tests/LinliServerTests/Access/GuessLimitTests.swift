import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LinliCore
@testable import LinliServer
import LinliStore
import LinliTestSupport
import Testing

/// Wrong guesses slow their guesser and never shut out the owner, on every node, across restarts.
@Suite("Guess limits")
struct GuessLimitTests {
    /// The live test server's requests come from the loopback address: trusting it lets a test
    /// speak from any address it names in X-Forwarded-For.
    static let loopback = try? TrustedProxies(["127.0.0.1", "::1"])
    static let guesser = "198.51.100.7"
    static let owner = "203.0.113.9"

    static func codeBody(_ household: PlaceID, _ code: String) -> String { #"{"household_id":\#(household),"code":"\#(code)"}"# }
    static func loginBody(_ phone: String, _ password: String) -> String { #"{"phone":"\#(phone)","password":"\#(password)"}"# }
    /// A well-formed code that is not `right` (codes have no 0 or 1, so these are never issued).
    static func wrongCode(_ attempt: Int) -> String { "2222-22\(attempt % 10)2" }

    @Test("five wrong codes from one address, then the right code from another: accepted; the same for passwords", arguments: TestEngine.available)
    func ownerGetsIn(engine: TestEngine) async throws {
        let proxies = try #require(Self.loopback)
        try await TestApp.run(engine, trustedProxies: proxies, testing: .live) { app, client in
            let target = try #require(app.demo.households.first)
            for attempt in 0..<5 {
                let wrong = try await client.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, Self.wrongCode(attempt)), from: Self.guesser)
                #expect(wrong.status == .unauthorized)
            }
            let sixth = try await client.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, Self.wrongCode(5)), language: "en", from: Self.guesser)
            #expect(sixth.status == .tooManyRequests)
            // The real clock runs on between the fifth guess and the sixth (a second or more when
            // the whole suite shares two cores); the exact words are pinned on a manual clock below.
            let retryAfter = try #require(sixth.headers[.retryAfter].flatMap { Int($0) })
            #expect((50...60).contains(retryAfter))
            let message = (try sixth.jsonObject()["error"] as? [String: Any])?["message"] as? String
            #expect(message?.hasPrefix("Too many attempts; try again in ") == true)
            let right = try await client.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, target.code.description), from: Self.owner)
            #expect(right.status == .created)

            let phone = try app.account(.buildingLeader).phone
            for attempt in 0..<5 {
                let wrong = try await client.json("/api/v1/auth/token", method: .post, body: Self.loginBody(phone, "wrong-\(attempt)"), from: Self.guesser)
                #expect(wrong.status == .unauthorized)
            }
            #expect(try await client.json("/api/v1/auth/token", method: .post, body: Self.loginBody(phone, "wrong-5"), from: Self.guesser).status == .tooManyRequests)
            #expect(try await client.json("/api/v1/auth/token", method: .post, body: Self.loginBody(phone, DemoSeeder.password), from: Self.guesser).status == .tooManyRequests,
                    "the guesser's own address waits, whatever it sends")
            #expect(try await client.json("/api/v1/auth/token", method: .post, body: Self.loginBody(phone, DemoSeeder.password), from: Self.owner).status == .created)
        }
    }

    @Test("each further wrong guess waits longer: one minute, then two, then three")
    func growingDelays() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_700_000_000))
        try await TestApp.run(.sqlite, now: { clock.now }) { app, client in
            let target = try #require(app.demo.households.first)
            func guess(_ attempt: Int) async throws -> TestResponse {
                try await client.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, Self.wrongCode(attempt)))
            }
            for attempt in 0..<5 { #expect(try await guess(attempt).status == .unauthorized) }
            for wait in [60, 120, 180] {
                let refused = try await guess(0)
                #expect(refused.status == .tooManyRequests)
                #expect(refused.headers[.retryAfter] == "\(wait)")
                clock.advance(TimeInterval(wait - 1))
                #expect(try await guess(1).status == .tooManyRequests, "not a second early")
                clock.advance(1)
                #expect(try await guess(2).status == .unauthorized)
            }
        }
    }

    @Test("a household tried from many addresses gives each new address one try, and still opens for its owner", arguments: [TestEngine.sqlite])
    func underAttack(engine: TestEngine) async throws {
        let proxies = try #require(Self.loopback)
        try await TestApp.run(engine, trustedProxies: proxies, testing: .live) { app, client in
            let target = try #require(app.demo.households.first)
            let limits = app.services.limits
            for index in 0...limits.underAttack {
                let status = try await client.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, Self.wrongCode(index)), from: "192.0.2.\(index + 1)").status
                #expect(status == .unauthorized)
            }
            let fresh = "198.18.0.1"
            #expect(try await client.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, Self.wrongCode(0)), from: fresh).status == .unauthorized)
            #expect(try await client.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, Self.wrongCode(1)), from: fresh).status == .tooManyRequests)
            #expect(try await client.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, target.code.description), from: Self.owner).status == .created)
        }
    }

    @Test("guesses sent at once are counted before they are checked: exactly the limit get through, for codes and for passwords", arguments: TestEngine.available)
    func parallelGuesses(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let target = try #require(app.demo.households.first)
            let codes = try await StartingLine.race(12) { attempt in
                try await client.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, Self.wrongCode(attempt))).status
            }
            #expect(codes.count { $0 == .unauthorized } == app.services.limits.perPair.free)
            #expect(codes.count { $0 == .tooManyRequests } == 12 - app.services.limits.perPair.free)

            let phone = try app.account(.committeeStaff).phone
            let logins = try await StartingLine.race(12) { attempt in
                try await client.json("/api/v1/auth/token", method: .post, body: Self.loginBody(phone, "wrong-\(attempt)")).status
            }
            #expect(logins.count { $0 == .unauthorized } == app.services.limits.perPair.free)
            #expect(logins.count { $0 == .tooManyRequests } == 12 - app.services.limits.perPair.free)
        }
    }

    @Test("the counts survive a restart: a new node on the same database still makes the guesser wait", arguments: TestEngine.available)
    func restart(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let target = try #require(app.demo.households.first)
            for attempt in 0..<5 {
                #expect(try await client.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, Self.wrongCode(attempt))).status == .unauthorized)
            }
            let restarted = buildApplication(ServerConfiguration(), services: TestApp.services(store: app.store), runJobs: false)
            try await restarted.test(.router) { client in
                let sixth = try await client.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, Self.wrongCode(5)))
                #expect(sixth.status == .tooManyRequests)
            }
        }
    }

    @Test("two nodes on one PostgreSQL database: guesses on both count once, the owner gets in on either", .enabled(if: TestEngine.postgresURL != nil))
    func twoNodes() async throws {
        let proxies = try #require(Self.loopback)
        try await TestApp.run(.postgres, trustedProxies: proxies, testing: .live) { app, first in
            // A second node: its own connections to the same database, its own services.
            let store = try await Store.open(app.store.location, migrate: false)
            try await store.closing { store in
                let node = buildApplication(ServerConfiguration(port: 0), services: TestApp.services(store: store, trustedProxies: proxies), runJobs: false)
                try await node.test(.live) { second in
                    let target = try #require(app.demo.households.first)
                    var statuses: [HTTPResponse.Status] = []
                    for attempt in 0..<12 {
                        let client: any TestClientProtocol = attempt.isMultiple(of: 2) ? first : second
                        statuses.append(try await client.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, Self.wrongCode(attempt)), from: Self.guesser).status)
                    }
                    #expect(statuses.count { $0 == .unauthorized } == app.services.limits.perPair.free, "\(statuses)")
                    #expect(statuses.count { $0 == .tooManyRequests } == 12 - app.services.limits.perPair.free)
                    #expect(try await second.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, target.code.description), from: Self.owner).status == .created)
                    let phone = try app.account(.buildingLeader).phone
                    for attempt in 0..<5 {
                        let client: any TestClientProtocol = attempt.isMultiple(of: 2) ? first : second
                        #expect(try await client.json("/api/v1/auth/token", method: .post, body: Self.loginBody(phone, "wrong-\(attempt)"), from: Self.guesser).status == .unauthorized)
                    }
                    #expect(try await first.json("/api/v1/auth/token", method: .post, body: Self.loginBody(phone, "wrong-5"), from: Self.guesser).status == .tooManyRequests)
                    #expect(try await second.json("/api/v1/auth/token", method: .post, body: Self.loginBody(phone, DemoSeeder.password), from: Self.owner).status == .created)
                }
            }
        }
    }

    @Test("behind a trusted proxy two clients are limited apart; without one a forged X-Forwarded-For is ignored")
    func trustedProxy() async throws {
        let proxies = try #require(Self.loopback)
        try await TestApp.run(.sqlite, trustedProxies: proxies, testing: .live) { app, client in
            let target = try #require(app.demo.households.first)
            for attempt in 0..<6 {
                _ = try await client.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, Self.wrongCode(attempt)), from: Self.guesser)
            }
            #expect(try await client.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, Self.wrongCode(0)), from: Self.guesser).status == .tooManyRequests)
            // A client behind the same proxy, who forged a first hop of its own: the proxy's hop counts.
            let other = try await client.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, Self.wrongCode(1)), from: "\(Self.guesser), \(Self.owner)")
            #expect(other.status == .unauthorized)
        }
        try await TestApp.run(.sqlite, testing: .live) { app, client in
            let target = try #require(app.demo.households.first)
            for attempt in 0..<5 {
                let forged = "192.0.2.\(attempt + 1)"
                #expect(try await client.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, Self.wrongCode(attempt)), from: forged).status == .unauthorized)
            }
            #expect(try await client.json("/api/v1/household-sessions", method: .post, body: Self.codeBody(target.id, Self.wrongCode(5)), from: "192.0.2.99").status == .tooManyRequests)
        }
    }

    @Test("the client address: right-most hop not a trusted proxy; IPv6 clients counted by their /64")
    func clientAddress() throws {
        let proxies = try TrustedProxies(["10.0.0.0/8", "fd00::/8"])
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["1.1.1.1, 2.2.2.2, 10.9.9.9"]) == "2.2.2.2")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["1.1.1.1", "2.2.2.2"]) == "2.2.2.2")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: []) == "10.1.2.3")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["nonsense"]) == "10.1.2.3")
        #expect(proxies.clientAddress(peer: "8.8.8.8", forwardedFor: ["1.1.1.1"]) == "8.8.8.8", "a peer that is no trusted proxy is the client")
        #expect(proxies.clientAddress(peer: "::ffff:10.0.0.1", forwardedFor: ["2001:db8::1"]) == "2001:db8::1")
        #expect(ClientAddress.limitKey("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64")
        #expect(ClientAddress.limitKey("192.0.2.1") == "192.0.2.1")
        #expect(throws: TrustedProxyError.self) { try TrustedProxies(["10.0.0.0/33"]) }
        #expect(throws: TrustedProxyError.self) { try TrustedProxies(["proxy.example"]) }
    }

    @Test("refusing an unknown phone takes as long as refusing a wrong password, even for an account hashed at a lower cost")
    func loginTiming() async throws {
        try await withTestStore(.sqlite) { store in
            // Demo accounts hashed at cost 4, the server at cost 8: sixteen times apart until the
            // first login re-hashes.
            let demo = try await DemoSeeder.seed(store: store, householdCodeKey: TestApp.householdCodeKey, scale: .compound, passwords: Passwords(cost: 4))
            let services = AppServices(store: store, householdCodeKey: TestApp.householdCodeKey, passwords: Passwords(cost: 8))
            let access = AccessService(services: services)
            let phone = try #require(demo.generator.accounts.first?.phone)
            _ = try await access.login(phone: phone, password: DemoSeeder.password, remoteIP: "192.0.2.1", kind: .api)
            let hash = try await store.read { db in try await UserRecords.user(phone: phone, on: db)?.passwordHash }
            #expect(hash?.hasPrefix("$2b$08$") == true, "re-hashed at the server's cost: \(hash ?? "none")")

            func refusal(_ phone: String, from index: Int) async -> TimeInterval {
                let started = Date()
                _ = try? await access.login(phone: phone, password: "wrong password", remoteIP: "198.18.\(index / 200).\(index % 200)", kind: .api)
                return Date().timeIntervalSince(started)
            }
            // Each known refusal is timed against the unknown one right after it, and the pairs'
            // ratios are compared by their median: tests running beside this one slow both of a
            // pair alike, where comparing all known against all unknown times would compare load.
            var ratios: [Double] = []
            for index in 0..<31 {
                let known = await refusal(phone, from: 2 * index)
                let unknown = await refusal("1390000\(String(format: "%04d", index))", from: 2 * index + 1)
                ratios.append(known / max(unknown, 1e-9))
            }
            let ratio = ratios.sorted()[ratios.count / 2]
            #expect(ratio > 0.5 && ratio < 2, "median known / unknown \(ratio); pairs \(ratios.map { ($0 * 100).rounded() / 100 })")
        }
    }
}
