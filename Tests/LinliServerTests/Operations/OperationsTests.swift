import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("Health, readiness, metrics and the OpenAPI document")
struct OperationsTests {
    @Test("health and ready answer anyone; without a metrics token configured, /metrics is not there", arguments: [TestEngine.sqlite])
    func probes(engine: TestEngine) async throws {
        try await TestApp.run(engine) { _, client in
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/ready", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .notFound)
            let guessed = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer anything-at-all-here"])
            #expect(guessed.status == .notFound)
        }
    }

    @Test("with a metrics token, /metrics answers the scraper that has it and nobody else", arguments: [TestEngine.sqlite])
    func metricsToken(engine: TestEngine) async throws {
        let token = "scrape-7f3a9c2e41d8b605"
        try await TestApp.run(engine, metricsToken: token) { app, client in
            let metrics = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            for header in ["", "Bearer ", "Bearer scrape-7f3a9c2e41d8b60", "Bearer scrape-7f3a9c2e41d8b6055", "Basic \(token)"] {
                let refused = try await client.execute(uri: "/metrics", method: .get, headers: header.isEmpty ? [:] : [.authorization: header])
                #expect(refused.status == .unauthorized, "\(header)")
                #expect(refused.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
            // A user's own API token is not the metrics token.
            let admin = try await client.token(phone: try app.account(.admin).phone)
            #expect(try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(admin)"]).status == .unauthorized)
        }
    }

    static func documentedOperations() throws -> Set<String> {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../docs/openapi.json").standardized
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        return Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
    }

    @Test("every API route is in the OpenAPI document and every documented operation is routed")
    func openAPICoversTheRoutes() async throws {
        try await withTestStore(.sqlite) { store in
            let router = buildRouter(services: TestApp.services(store: store))
            // The API, and /metrics, which scrapers are configured against.
            let routed = Set(router.routes.map { "\($0.method) \($0.path)" }.filter { $0.contains(" /api/") || $0 == "GET /metrics" })
            let documented = try Self.documentedOperations()
            #expect(routed.subtracting(documented).isEmpty, "routes missing from docs/openapi.json: \(routed.subtracting(documented))")
            #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed))")
        }
    }

    @Test("the server serves docs/openapi.json as it is (run scripts/embed-openapi after editing it)", arguments: [TestEngine.sqlite])
    func servedDocumentIsCurrent(engine: TestEngine) async throws {
        try await TestApp.run(engine) { _, client in
            let served = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(served.status == .ok)
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../docs/openapi.json").standardized
            let onDisk = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? NSDictionary
            let servedObject = try JSONSerialization.jsonObject(with: Data(buffer: served.body)) as? NSDictionary
            #expect(onDisk == servedObject)
        }
    }
}
