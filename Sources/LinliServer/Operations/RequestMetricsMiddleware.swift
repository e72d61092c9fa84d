import Dispatch
import Hummingbird
import Metrics
import Synchronization

/// Request counts, errors and durations by route, method and status, under the names
/// Hummingbird's `MetricsMiddleware` gives them (`hb.requests`, `hb.request.errors`,
/// `http.server.request.duration`, `http.server.active_requests`), so `/metrics` reads the same.
///
/// Hummingbird's middleware counts a request once its body is written, by wrapping the body in a
/// closure; a body that is one buffer then loses the server's fast path, which sends the head, the
/// body and the end in one write. That cost a third more of the event loops' time on every answer
/// (each part its own write and flush). This one counts when the handler has answered: for an
/// answer held in memory, as nearly every one is, that is when it is written; for a streamed
/// export, the time to its first byte.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = LinliRequestContext

    private let cache = RequestMetricsCache()

    /// A method outside HTTP's own is counted as `_OTHER` (OpenTelemetry's name for it): anyone
    /// may send any token as a method, and each would otherwise add series and memory for ever.
    static func counted(_ method: HTTPRequest.Method) -> HTTPRequest.Method {
        switch method {
        case .get, .head, .post, .put, .delete, .connect, .options, .trace, .patch: method
        default: other
        }
    }

    // A valid token, so never the fallback; the metrics test reads it back.
    private static let other = HTTPRequest.Method("_OTHER") ?? .options

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        let method = Self.counted(request.method)
        let active = cache.active(method)
        active.increment()
        defer { active.decrement() }
        do {
            let response = try await next(request, context)
            let metrics = cache.endpoint(RequestMetricsCache.Endpoint(route: context.endpointPath ?? "Unknown", method: method, status: response.status))
            metrics.requests.increment()
            metrics.duration.recordNanoseconds(Int64(clamping: DispatchTime.now().uptimeNanoseconds &- started))
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            let metrics = cache.endpoint(RequestMetricsCache.Endpoint(route: context.endpointPath ?? "NotFound", method: method, status: status))
            metrics.requests.increment()
            metrics.errors.increment()
            throw error
        }
    }
}

/// The metric objects of each method and route, made once: the metrics factory's own look-up by
/// label and dimensions is far slower than a dictionary.
final class RequestMetricsCache: Sendable {
    struct Endpoint: Hashable {
        var route: String
        var method: HTTPRequest.Method
        var status: HTTPResponse.Status
    }

    struct EndpointMetrics: Sendable {
        let requests: Counter
        let duration: Timer
        let errors: Counter

        init(_ endpoint: Endpoint) {
            let dimensions = [("http.route", endpoint.route), ("http.request.method", endpoint.method.rawValue),
                              ("http.response.status_code", String(endpoint.status.code))]
            requests = Counter(label: "hb.requests", dimensions: dimensions)
            duration = Timer(label: "http.server.request.duration", dimensions: dimensions, preferredDisplayUnit: .seconds)
            errors = Counter(label: "hb.request.errors", dimensions: [("http.route", endpoint.route), ("http.request.method", endpoint.method.rawValue),
                                                                      ("error.type", String(endpoint.status.code))])
        }
    }

    private let methods = Mutex<[HTTPRequest.Method: Meter]>([:])
    private let endpoints = Mutex<[Endpoint: EndpointMetrics]>([:])

    func active(_ method: HTTPRequest.Method) -> Meter {
        methods.withLock { methods in
            if let meter = methods[method] { return meter }
            let meter = Meter(label: "http.server.active_requests", dimensions: [("http.request.method", method.rawValue)])
            methods[method] = meter
            return meter
        }
    }

    func endpoint(_ endpoint: Endpoint) -> EndpointMetrics {
        endpoints.withLock { endpoints in
            if let metrics = endpoints[endpoint] { return metrics }
            let metrics = EndpointMetrics(endpoint)
            endpoints[endpoint] = metrics
            return metrics
        }
    }
}
