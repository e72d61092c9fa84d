import Foundation
import HummingbirdTesting
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("Health, readiness, metrics and the OpenAPI document")
struct OperationsTests {
    @Test("health, ready and metrics answer", arguments: [TestEngine.sqlite])
    func probes(engine: TestEngine) async throws {
        try await TestApp.run(engine) { _, client in
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/ready", method: .get).status == .ok)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
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
            let routed = Set(router.routes.map { "\($0.method) \($0.path)" }.filter { $0.contains(" /api/") })
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
