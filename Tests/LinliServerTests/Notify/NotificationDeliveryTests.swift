import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

/// A webhook receiver on this machine: it records what it gets and answers as told.
actor FakeReceiver {
    struct Received: Sendable { var headers: HTTPFields; var body: String }
    private(set) var received: [Received] = []
    let status: HTTPResponse.Status
    let headers: HTTPFields

    init(status: HTTPResponse.Status, headers: HTTPFields = [:]) {
        self.status = status
        self.headers = headers
    }

    func record(_ request: Received) -> HTTPResponse.Status {
        received.append(request)
        return status
    }

    /// Runs `body` with the receiver listening on a free local port.
    func serve(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let router = Router()
        router.post("hook") { request, _ -> Response in
            let text = String(buffer: try await request.body.collect(upTo: 1 << 20))
            return Response(status: await self.record(Received(headers: request.headers, body: text)), headers: self.headers)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body(try #require(client.port))
        }
    }
}

@Suite("Notifications: escalations reach the group's webhook, failures retry and end as dead letters")
struct NotificationDeliveryTests {
    static let start = Date(timeIntervalSince1970: 1_650_000_000)
    /// The fake receiver listens on 127.0.0.1, which webhooks may reach only when the operator
    /// allows it, as a staging deployment would with `--webhook-allow-network 127.0.0.1/32`.
    static let localReceiver = WebhookNetworkPolicy(allowing: [IPNetwork(address: .v4(0x7f00_0001), prefixLength: 32)])

    static func escalateOneRequest(_ app: TestApp, client: some TestClientProtocol, port: Int, clock: ManualClock) async throws -> JobRunner {
        try await addWebhook(app, client: client, port: port)
        let (token, _) = try await RequestHTTPTests.householdToken(app, client: client)
        #expect(try await client.json("/api/v1/requests", method: .post, token: token, body: #"{"category":"food","description":"没有米了"}"#).status == .created)
        let runner = JobRunner(store: app.store, owner: "test", handlers: jobHandlers(services: app.services), now: { clock.now })
        clock.advance(12 * 3600 + 60)
        try await runner.runDueJobs()   // the deadline job escalates and fills the outbox
        try await runner.runDueJobs()   // the delivery job posts it
        return runner
    }

    @Test("an escalation is posted once to the compound's webhook, signed as documented", arguments: TestEngine.available)
    func delivered(engine: TestEngine) async throws {
        let receiver = FakeReceiver(status: .ok)
        try await receiver.serve { port in
            let clock = ManualClock(Self.start)
            try await TestApp.run(engine, now: { clock.now }, webhookNetworks: Self.localReceiver) { app, client in
                let runner = try await Self.escalateOneRequest(app, client: client, port: port, clock: clock)
                try await runner.runDueJobs()
                let received = await receiver.received
                let outbox = try await app.store.read { db in try await NotifyRecords.notifications(status: "pending", on: db) }
                #expect(received.count == 1, "outbox: \(outbox.map { "\($0.attempts) \($0.lastError ?? "")" })")
                let message = try #require(received.first)
                #expect(message.body.contains("request.escalated"))
                let timestamp = try #require(message.headers[HTTPField.Name("X-Linli-Timestamp")!])
                let signature = try #require(message.headers[HTTPField.Name("X-Linli-Signature")!])
                let expected = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(message.body)".utf8), using: SymmetricKey(data: Data("s3cret".utf8)))
                #expect(signature == "sha256=" + expected.map { String(format: "%02x", $0) }.joined())
                let delivered = try await app.store.read { db in try await NotifyRecords.notifications(status: "delivered", on: db) }
                #expect(delivered.count == 1)
            }
        }
    }

    @Test("a receiver that keeps failing is retried with backoff, then the message is a dead letter admins can see", arguments: [TestEngine.sqlite])
    func deadLetter(engine: TestEngine) async throws {
        let receiver = FakeReceiver(status: .serviceUnavailable)
        try await receiver.serve { port in
            let clock = ManualClock(Self.start)
            try await TestApp.run(engine, now: { clock.now }, webhookNetworks: Self.localReceiver) { app, client in
                let runner = try await Self.escalateOneRequest(app, client: client, port: port, clock: clock)
                #expect(await receiver.received.count == 1)
                try await runner.runDueJobs()
                #expect(await receiver.received.count == 1, "no retry before its time")
                for _ in 0..<10 {
                    clock.advance(3600)
                    try await runner.runDueJobs()
                }
                #expect(await receiver.received.count == DeliveryPolicy().maxAttempts)
                let admin = try await client.token(phone: try app.account(.admin).phone)
                let dead = try await client.json("/api/v1/notifications?status=dead", token: admin)
                let list = try #require(try dead.jsonObject()["notifications"] as? [[String: Any]])
                #expect(list.count == 1)
                #expect(list.first?["attempts"] as? Int == DeliveryPolicy().maxAttempts)
                let leader = try await client.token(phone: try app.account(.buildingLeader).phone)
                #expect(try await client.json("/api/v1/notifications", token: leader).status == .forbidden)
                var browser = Browser()
                try await browser.logIn(phone: try app.account(.admin).phone, client: client)
                let page = try await browser.get("/admin/notifications", client: client)
                #expect(page.status == .ok && page.text.contains("503"))
            }
        }
    }

    static func addWebhook(_ app: TestApp, client: some TestClientProtocol, port: Int) async throws {
        let admin = try await client.token(phone: try app.account(.admin).phone)
        let compound = try app.account(.compoundLead).placeID
        let added = try await client.json("/api/v1/places/\(compound)/webhooks", method: .post, token: admin, body: #"{"kind":"http","url":"http://127.0.0.1:\#(port)/hook","secret":"s3cret"}"#)
        try #require(added.status == .created, "\(added.text)")
    }

    @Test("a life-critical request is announced to the groups above its household as it is filed; a normal one is not", arguments: TestEngine.available)
    func lifeCriticalFiling(engine: TestEngine) async throws {
        let receiver = FakeReceiver(status: .ok)
        try await receiver.serve { port in
            let clock = ManualClock(Self.start)
            try await TestApp.run(engine, now: { clock.now }, webhookNetworks: Self.localReceiver) { app, client in
                try await Self.addWebhook(app, client: client, port: port)
                let (token, _) = try await RequestHTTPTests.householdToken(app, client: client)
                let runner = JobRunner(store: app.store, owner: "test", handlers: jobHandlers(services: app.services), now: { clock.now })
                #expect(try await client.json("/api/v1/requests", method: .post, token: token, body: #"{"category":"food","description":"没有米了"}"#).status == .created)
                try await runner.runDueJobs()
                #expect(await receiver.received.isEmpty, "a normal request waits for its deadline")
                let filed = try await client.json("/api/v1/requests", method: .post, token: token, body: #"{"category":"medicine","description":"父亲明天透析，需要车"}"#)
                #expect(try filed.jsonObject()["urgency"] as? String == "life_critical")
                try await runner.runDueJobs()
                let received = await receiver.received
                #expect(received.count == 1)
                #expect(received.first?.body.contains("request.life_critical") == true)
            }
        }
    }

    @Test("a target gets no more than its pace allows; the rest wait for the next free minute without spending attempts", arguments: [TestEngine.sqlite])
    func pacing(engine: TestEngine) async throws {
        let receiver = FakeReceiver(status: .ok)
        try await receiver.serve { port in
            let clock = ManualClock(Self.start)
            let pacing = DeliveryPacing(perMinute: [.http: 2])
            try await TestApp.run(engine, now: { clock.now }, pacing: pacing, webhookNetworks: Self.localReceiver) { app, client in
                try await Self.addWebhook(app, client: client, port: port)
                let compound = try app.account(.compoundLead).placeID
                try await app.store.write { db in
                    let targets = try await NotifyRecords.targets(at: [compound], on: db)
                    for index in 1...3 {
                        let message = NotificationMessage(kind: "test", subjectID: "\(index)", title: "消息 \(index)", text: "第 \(index) 条", link: "/")
                        try await NotifyRecords.enqueue(message, to: targets, at: clock.now, on: db)
                    }
                }
                let runner = JobRunner(store: app.store, owner: "test", handlers: jobHandlers(services: app.services), now: { clock.now })
                try await runner.runDueJobs()
                try await runner.runDueJobs()
                #expect(await receiver.received.count == 2, "two a minute")
                clock.advance(30)
                try await runner.runDueJobs()
                #expect(await receiver.received.count == 2, "still within the minute")
                clock.advance(31)
                try await runner.runDueJobs()
                #expect(await receiver.received.count == 3)
                let delivered = try await app.store.read { db in try await NotifyRecords.notifications(status: "delivered", on: db) }
                #expect(delivered.count == 3)
                #expect(delivered.allSatisfy { $0.attempts == 1 }, "waiting for a slot is not an attempt")
            }
        }
    }

    @Test("a node whose lease ran out while a receiver was slow cannot undo the outcome the node that took over recorded", arguments: TestEngine.available)
    func staleOutcome(engine: TestEngine) async throws {
        try await TestApp.run(engine, webhookNetworks: Self.localReceiver) { app, client in
            try await Self.addWebhook(app, client: client, port: 9)
            let compound = try app.account(.compoundLead).placeID
            let now = Date()
            let id = try await app.store.write { db in
                let targets = try await NotifyRecords.targets(at: [compound], on: db)
                try await NotifyRecords.enqueue(NotificationMessage(kind: "test", subjectID: "1", title: "t", text: "t"), to: targets, at: now, on: db)
                return try #require(try await NotifyRecords.notifications(status: "pending", on: db).first?.id)
            }
            // The node that took over delivers attempt 1; the stale node then reports a timeout for it.
            #expect(try await app.store.write { db in try await NotifyRecords.record(id, status: "delivered", attempts: 1, error: nil, deliveredAt: now, attemptedAt: now, on: db) })
            #expect(try await app.store.write { db in try await NotifyRecords.record(id, status: "pending", attempts: 1, error: "timeout", deliveredAt: nil, attemptedAt: now, on: db) } == false)
            let stored = try await app.store.read { db in try await NotifyRecords.notification(id: id, on: db) }
            #expect(stored?.status == "delivered" && stored?.attempts == 1)
        }
    }
}
