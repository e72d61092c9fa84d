import Hummingbird
import LinliCore

/// The language comes from `?lang=`, then the `linli_lang` cookie, then Accept-Language; the
/// default is Simplified Chinese.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = LinliRequestContext
    static let cookieName = "linli_lang"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.path = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        if let tag = request.uri.queryParameters["lang"].map(String.init), let language = Language(tag: tag) {
            context.language = language
        } else if let tag = request.cookies[Self.cookieName]?.value, let language = Language(tag: tag) {
            context.language = language
        } else {
            context.language = Language.negotiate(acceptLanguage: request.headers[.acceptLanguage])
        }
        var response = try await next(request, context)
        response.headers[.contentLanguage] = context.language.rawValue
        return response
    }
}
