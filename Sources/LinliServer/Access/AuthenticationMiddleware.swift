import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Finds the caller: a bearer token (API) or the session cookie (pages). The JSON API takes
/// only bearer tokens, so a cookie can never be replayed against it by another site.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = LinliRequestContext
    static let sessionCookie = "linli_session"
    static let csrfCookie = "linli_csrf"

    let services: AppServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let isAPI = context.isAPI(request)
        let token: String?
        if isAPI {
            token = request.headers[.authorization].flatMap(Self.bearerToken)
        } else {
            token = request.cookies[Self.sessionCookie]?.value
        }
        if let token, !token.isEmpty {
            context.caller = try await identify(token: token, api: isAPI)
        }
        var anonymousCSRF: String?
        switch context.caller {
        case .user(let identity): context.csrfToken = identity.session.csrfToken
        case .household(let identity): context.csrfToken = identity.session.csrfToken
        case .anonymous:
            if let existing = request.cookies[Self.csrfCookie]?.value, !existing.isEmpty {
                context.csrfToken = existing
            } else if !isAPI {
                let fresh = Tokens.random()
                context.csrfToken = fresh
                anonymousCSRF = fresh
            }
        }
        var response = try await next(request, context)
        if let anonymousCSRF {
            response.setCookie(Cookie(name: Self.csrfCookie, value: anonymousCSRF, path: "/", secure: services.secureCookies, httpOnly: true, sameSite: .lax))
        }
        return response
    }

    /// The token of `Bearer <token>` (the scheme in any case), or nil.
    static func bearerToken(_ header: String) -> String? {
        let scheme = "bearer ".utf8
        guard header.utf8.count > scheme.count,
              zip(header.utf8, scheme).allSatisfy({ $0 | 0x20 == $1 || ($1 == UInt8(ascii: " ") && $0 == $1) }) else { return nil }
        return String(header.dropFirst(scheme.count)).trimmingWhitespace
    }

    private func identify(token: String, api: Bool) async throws -> Caller {
        let now = services.now()
        // Keyed by the token itself (held in memory only), so a cached caller costs no hashing.
        let key = (api ? "api " : "web ") + token
        if let cached = services.identities.value(for: key, now: now) { return cached }
        // A logout that runs while the session is read here must not see it cached again after.
        let generation = services.identities.generation
        let caller = try await lookUp(tokenHash: Tokens.hash(token), api: api, now: now)
        if let session = caller.session { services.identities.store(caller, for: key, now: now, notAfter: session.expiresAt, lookedUpAt: generation) }
        return caller
    }

    private func lookUp(tokenHash: String, api: Bool, now: Date) async throws -> Caller {
        try await services.store.read { db in
            guard let session = try await SessionRecords.session(tokenHash: tokenHash, now: now, on: db) else { return Caller.anonymous }
            switch session.kind {
            case .api where !api, .web where api:
                return .anonymous
            case .household:
                guard let householdID = session.householdID, let household = try await HouseholdRecords.household(id: householdID, on: db) else { return .anonymous }
                return .household(HouseholdIdentity(household: household, session: session, tokenHash: tokenHash))
            case .api, .web:
                guard let userID = session.userID, let user = try await UserRecords.user(id: userID, on: db) else { return .anonymous }
                let roles = try await UserRecords.roles(userID: userID, on: db)
                return .user(UserIdentity(user: user, grants: Grants(roles: roles), session: session, tokenHash: tokenHash))
            }
        }
    }
}

extension LinliRequestContext {
    /// Forms carry the CSRF token back; a mismatch means the form did not come from us.
    func verifyCSRF(_ submitted: String?) throws {
        guard let submitted, !csrfToken.isEmpty, Tokens.equalInConstantTime(submitted, csrfToken) else {
            throw AppError(.forbidden, "error.csrf")
        }
    }
}
