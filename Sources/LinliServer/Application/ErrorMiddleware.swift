import Foundation
import Hummingbird
import LinliCore
import LinliStore

struct ErrorContent {
    var message: String
    var whatNext: String?
    var homeHref: String
    var homeLabel: String
}

/// Turns every error into a localized answer: JSON under /api, an HTML page elsewhere. Bad input
/// is a 4xx naming the field; anything unexpected is logged and answered with a plain 500.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = LinliRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as AppError {
            return render(error, request: request, context: context)
        } catch let error as HTTPError {
            return render(Self.translate(error), request: request, context: context)
        } catch let error as StoreError where error == .busy {
            // The database had no free connection in time: a moment later it will.
            context.logger.warning("no free database connection", metadata: ["route": "\(context.endpointPath ?? "")"])
            return render(Self.busy, request: request, context: context)
        } catch let error where Store.isTimeout(error) {
            // A statement ran past the pool's statement timeout and PostgreSQL cancelled it: the
            // server is overloaded or the query has gone wrong. The caller may try again; the
            // operator needs to see it.
            context.logger.error("a database statement ran past the statement timeout", metadata: ["route": "\(context.endpointPath ?? "")", "error": "\(String(reflecting: error))"])
            return render(Self.busy, request: request, context: context)
        } catch let error as HTTPResponseError {
            // Framework errors such as 413 "payload too large" keep their status.
            return render(AppError(error.status, error.status.code >= 500 ? "error.internal" : Self.key(for: error.status)), request: request, context: context)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return render(AppError(.internalServerError, "error.internal"), request: request, context: context)
        }
    }

    /// The database is overloaded for now: the caller may send the same again in a moment.
    static let busy = AppError(.serviceUnavailable, "error.busy", headers: [.retryAfter: "1"])

    static func translate(_ error: HTTPError) -> AppError {
        AppError(error.status, key(for: error.status), headers: error.headers)
    }

    static func key(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 401: "error.unauthenticated"
        case 403: "error.forbidden"
        case 404: "error.not_found"
        case 405: "error.method_not_allowed"
        case 413: "error.too_large"
        case 429: "error.rate_limited"
        case 400..<500: "error.bad_request"
        default: "error.internal"
        }
    }

    private func render(_ error: AppError, request: Request, context: Context) -> Response {
        let message = error.message(in: context.language)
        var headers = error.headers
        if context.isAPI(request) {
            let body = ErrorBody(error: .init(code: error.key.hasPrefix("error.") ? String(error.key.dropFirst("error.".count)) : error.key, message: message, field: error.field))
            let data = (try? JSONEncoder().encode(body)) ?? Data()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        if error.status == .unauthorized, request.method == .get {
            // A page that needs a login sends the person to the login form and back.
            let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return Response(status: .seeOther, headers: [.location: "/login?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")])
        }
        var whatNext: String?
        switch error.status {
        case .forbidden, .notFound: whatNext = context.text(context.isHousehold ? "error.next.household" : "error.next.ask")
        case .tooManyRequests, .serviceUnavailable: whatNext = context.text("error.next.wait")
        default: whatNext = nil
        }
        let home: String
        switch context.caller {
        case .household: home = "/my-household"
        case .user: home = "/"
        case .anonymous: home = "/login"
        }
        let content = ErrorContent(message: message, whatNext: whatNext, homeHref: home, homeLabel: context.text(context.isHousehold ? "nav.my_household" : "nav.home"))
        headers[.cacheControl] = "no-store"
        do {
            return try PageView(template: "error", title: context.text("error.title"), content: content).response(context, status: error.status, headers: headers)
        } catch {
            // The error page itself failed to render: plain words still reach the person.
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .internalServerError, headers: headers, body: .init(byteBuffer: ByteBuffer(string: message)))
        }
    }
}
