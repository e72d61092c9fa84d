import Hummingbird
import Logging

/// One log line per request: the method, the route that matched (its pattern, `/api/v1/requests/{id}`,
/// not the path as sent), the names of the query parameters, the status and the time taken. Query
/// values and bodies are never logged: they carry names, phone tails, addresses and health notes,
/// and logs are kept and shipped with far less care than the database. A search logs which
/// fields it used, not what was searched for.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = LinliRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: response.status.code, started: started)
            return response
        } catch let error as any HTTPResponseError {
            log(request, context: context, status: error.status.code, started: started)
            throw error
        } catch {
            log(request, context: context, status: 500, started: started)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: Int, started: ContinuousClock.Instant) {
        // The line's fields are not built when the level leaves it out (`--log-level warning`).
        guard context.logger.logLevel <= .info else { return }
        let elapsed = ContinuousClock.now - started
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "route": .string(context.endpointPath ?? "unmatched"),
            "status": .stringConvertible(status),
            "duration_ms": .stringConvertible(milliseconds),
        ]
        let names = LoggedQuery.fieldNames(request.uri.query)
        if !names.isEmpty { metadata["query_fields"] = .string(names.joined(separator: ",")) }
        context.logger.info("request", metadata: metadata)
    }
}

/// What a log line may say about a query string.
public enum LoggedQuery {
    /// The distinct parameter names of a query, sorted. A name that is not a plain identifier
    /// (it could be anything a client sent, a phone number included) is logged as `?`.
    public static func fieldNames(_ query: String?) -> [String] {
        guard let query, !query.isEmpty else { return [] }
        var names = Set<String>()
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name = pair.prefix { $0 != "=" }
            let plain = (1...32).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || byte == UInt8(ascii: "_")
            }
            names.insert(plain ? String(name) : "?")
        }
        return names.sorted()
    }
}
