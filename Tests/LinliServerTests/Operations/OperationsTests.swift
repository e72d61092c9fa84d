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
        // As `serve` does; once for the whole process, so other tests' requests are counted too.
        MetricsRegistry.bootstrapOnce()
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

            // Requests are counted by route, method and status, an error among the errors, with
            // their durations.
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/me", method: .get).status == .unauthorized)
            // A method of the caller's own making is counted under one name, not its own.
            _ = try await client.execute(uri: "/health", method: try #require(HTTPRequest.Method("LINLIPROBE")))
            let scraped = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(token)"])
            let text = String(buffer: scraped.body)
            let lines = text.split(separator: "\n")
            #expect(lines.contains { $0.hasPrefix("hb_requests") && $0.contains(#"http_route="/health""#) && $0.contains(#"http_response_status_code="200""#) }, "\(text.prefix(2_000))")
            #expect(lines.contains { $0.hasPrefix("hb_request_errors") && $0.contains(#"http_route="/api/v1/me""#) && $0.contains(#"error_type="401""#) })
            #expect(lines.contains { $0.hasPrefix("http_server_request_duration") && $0.contains(#"http_route="/health""#) })
            #expect(lines.contains { $0.hasPrefix("hb_requests") && $0.contains(#"http_request_method="_OTHER""#) })
            #expect(!text.contains("LINLIPROBE"))
        }
    }

    static let documentURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../docs/openapi.json").standardized

    static func documentedOperations() throws -> Set<String> {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: documentURL)) as? [String: Any])
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

    @Test("the server serves docs/openapi.json byte for byte, and it is a JSON object", arguments: [TestEngine.sqlite])
    func servedDocumentIsCurrent(engine: TestEngine) async throws {
        try await TestApp.run(engine) { _, client in
            let served = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(served.status == .ok)
            #expect(served.headers[.contentType] == "application/json")
            let onDisk = try Data(contentsOf: Self.documentURL)
            let servedBytes = Data(buffer: served.body)
            // The build embeds the file as it is; a difference means the build did not run the
            // EmbedOpenAPI plugin after the last edit of docs/openapi.json.
            #expect(servedBytes == onDisk, "served \(servedBytes.count) bytes, docs/openapi.json has \(onDisk.count)")
            #expect(try JSONSerialization.jsonObject(with: servedBytes) is [String: Any])
        }
    }
}
