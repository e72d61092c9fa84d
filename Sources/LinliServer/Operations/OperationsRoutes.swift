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

/// `/health` (the process is up), `/ready` (the database answers), `/metrics` (Prometheus, with
/// the operator's bearer token).
struct OperationsRoutes {
    let services: AppServices

    /// Compares digests of the two tokens in constant time: digests all have one length, so
    /// neither the time taken nor an early exit tells a guesser how much of the token, or of its
    /// length, was right.
    static func sameToken(_ given: String, _ expected: String) -> Bool {
        Tokens.equalInConstantTime(Tokens.hash(given), Tokens.hash(expected))
    }

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
        router.get("metrics") { request, _ -> Response in
            // Plain answers, not the error pages: the caller is a scraper, and a 401 page would
            // send it to the login form.
            guard let expected = services.metricsToken else {
                return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "not found")))
            }
            guard let given = request.headers[.authorization].flatMap(AuthenticationMiddleware.bearerToken), Self.sameToken(given, expected) else {
                return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"metrics\"", .contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "unauthorized")))
            }
            var bytes: [UInt8] = []
            MetricsRegistry.registry.emit(into: &bytes)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
