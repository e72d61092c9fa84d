import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("Webhooks cannot reach inside the server's network")
struct WebhookNetworkTests {
    static func addTarget(_ url: String, app: TestApp, client: some TestClientProtocol, language: String = "en") async throws -> TestResponse {
        let admin = try await client.token(phone: try app.account(.admin).phone)
        let compound = try app.account(.compoundLead).placeID
        return try await client.json("/api/v1/places/\(compound)/webhooks", method: .post, token: admin, body: #"{"kind":"http","url":"\#(url)","secret":"s3cret"}"#, language: language)
    }

    @Test("a target on this machine, the cloud's metadata address or a private network is refused with 422 naming the url",
          arguments: ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:5432/", "http://[::1]/", "http://[::ffff:10.0.0.1]/", "http://localhost:8080/"])
    func refusedAtSave(url: String) async throws {
        try await TestApp.run(.sqlite) { app, client in
            let refused = try await Self.addTarget(url, app: app, client: client)
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            let error = try #require(try refused.jsonObject()["error"] as? [String: Any])
            #expect(error["field"] as? String == "url")
            #expect(error["code"] as? String == "notify.target_error.host_not_allowed")
            #expect((error["message"] as? String)?.contains("--webhook-allow-network") == true)
            let chinese = try await Self.addTarget(url, app: app, client: client, language: "zh-Hans")
            #expect(try (chinese.jsonObject()["error"] as? [String: Any])?["message"] as? String == Catalogue.text("notify.target_error.host_not_allowed", .zhHans))
        }
    }

    @Test("odd spellings of an address are refused, not read as the address C would make of them",
          arguments: ["http://2130706433/", "http://0177.0.0.1/", "http://0x7f.1/", "http://127.1/"])
    func oddSpellings(url: String) async throws {
        try await TestApp.run(.sqlite) { app, client in
            let refused = try await Self.addTarget(url, app: app, client: client)
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(try (refused.jsonObject()["error"] as? [String: Any])?["code"] as? String == "notify.target_error.host_unclear")
        }
    }

    @Test("an operator's allowed range is accepted at save, and nothing beside it")
    func allowedAtSave() async throws {
        let policy = WebhookNetworkPolicy(allowing: [try #require(IPNetwork("127.0.0.1/32"))])
        try await TestApp.run(.sqlite, webhookNetworks: policy) { app, client in
            let allowed = try await Self.addTarget("http://127.0.0.1:8099/hook", app: app, client: client)
            #expect(allowed.status == .created)
            let beside = try await Self.addTarget("http://127.0.0.2:8099/hook", app: app, client: client)
            #expect(beside.status == .unprocessableContent)
            let metadata = try await Self.addTarget("http://169.254.169.254/", app: app, client: client)
            #expect(metadata.status == .unprocessableContent)
        }
    }

    @Test("a name that resolves to this machine at delivery is not sent to: a dead letter that says why, and the local receiver hears nothing",
          arguments: TestEngine.available)
    func refusedAtDelivery(engine: TestEngine) async throws {
        let receiver = FakeReceiver(status: .ok)
        try await receiver.serve { port in
            try await TestApp.run(engine) { app, client in
                // Saved while the name pointed elsewhere: DNS can change between save and send.
                let compound = try app.account(.compoundLead).placeID
                let now = Date()
                try await app.store.write { db in
                    _ = try await NotifyRecords.addTarget(.http(url: "http://localhost:\(port)/hook", secret: "s3cret"), placeID: compound, at: now, on: db)
                    let targets = try await NotifyRecords.targets(at: [compound], on: db)
                    try await NotifyRecords.enqueue(NotificationMessage(kind: "test", subjectID: "1", title: "t", text: "t"), to: targets, at: now, on: db)
                }
                let runner = JobRunner(store: app.store, owner: "test", handlers: jobHandlers(services: app.services), now: { Date() })
                try await runner.runDueJobs()
                #expect(await receiver.received.isEmpty)
                let dead = try await app.store.read { db in try await NotifyRecords.notifications(status: "dead", on: db) }
                let letter = try #require(dead.first, "the refusal is recorded as a dead letter")
                #expect(letter.attempts == 1)
                #expect(letter.lastError?.contains("localhost resolves to") == true && letter.lastError?.contains("loopback") == true, "\(letter.lastError ?? "")")
            }
        }
    }

    @Test("a receiver's redirect is not followed, so it cannot send the POST on into the network")
    func redirectNotFollowed() async throws {
        let receiver = FakeReceiver(status: .temporaryRedirect, headers: [.location: "/hook"])
        try await receiver.serve { port in
            let policy = WebhookNetworkPolicy(allowing: [try #require(IPNetwork("127.0.0.1/32"))])
            try await TestApp.run(.sqlite, webhookNetworks: policy) { app, client in
                #expect(try await Self.addTarget("http://127.0.0.1:\(port)/hook", app: app, client: client).status == .created)
                let compound = try app.account(.compoundLead).placeID
                try await app.store.write { db in
                    let targets = try await NotifyRecords.targets(at: [compound], on: db)
                    try await NotifyRecords.enqueue(NotificationMessage(kind: "test", subjectID: "1", title: "t", text: "t"), to: targets, at: Date(), on: db)
                }
                let runner = JobRunner(store: app.store, owner: "test", handlers: jobHandlers(services: app.services), now: { Date() })
                try await runner.runDueJobs()
                #expect(await receiver.received.count == 1, "the redirect (back to the receiver itself) is not followed")
                let dead = try await app.store.read { db in try await NotifyRecords.notifications(status: "dead", on: db) }
                #expect(dead.first?.lastError == "HTTP 307")
            }
        }
    }
}
