import Foundation
import Hummingbird
import Metrics
import Prometheus

/// The process-wide Prometheus registry. swift-metrics can be bootstrapped once per process, so
/// `serve` does it and tests that build many applications share it.
public enum MetricsRegistry {
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrap: Void = MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

    public static func bootstrapOnce() { _ = bootstrap }
}

/// `/health` (the process is up), `/ready` (the database answers), `/metrics` (Prometheus).
struct OperationsRoutes {
    let services: AppServices

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("health") { _, _ in "ok" }
        router.get("ready") { _, _ -> Response in
            do {
                _ = try await services.store.schemaVersion()
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ready")))
            } catch {
                services.logger.warning("not ready", metadata: ["error": "\(error)"])
                return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "database unavailable")))
            }
        }
        router.get("metrics") { _, _ -> Response in
            var bytes: [UInt8] = []
            MetricsRegistry.registry.emit(into: &bytes)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
