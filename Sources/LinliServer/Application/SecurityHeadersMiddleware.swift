import HTTPTypes
import Hummingbird

/// Headers every answer carries. Pages load nothing from elsewhere, so the policy allows only the
/// site's own stylesheet and scripts (the offline queue and its service worker, which post back to
/// the site itself): no inline style or script, so text that slipped
/// into a page unescaped still could not run or restyle it; no other site may frame them (a framed form can be
/// clicked through by a page the person never meant to act on); and browsers must not guess a
/// type other than the one declared (an upload served back must never run as a page).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = LinliRequestContext

    static let contentSecurityPolicy = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; worker-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        // The older WebViews of chat apps know only this header for framing.
        if let xFrameOptions = Self.xFrameOptions { response.headers[xFrameOptions] = "DENY" }
        return response
    }

    private static let xFrameOptions = HTTPField.Name("X-Frame-Options")
}
