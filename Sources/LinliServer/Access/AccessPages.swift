import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// The login form, the household-code form and logout.
struct AccessPages {
    let services: AppServices
    var access: AccessService { AccessService(services: services) }

    struct LoginForm: Decodable { var phone: String?; var password: String?; var next: String?; var _csrf: String? }
    struct CodeForm: Decodable { var household_id: String?; var code: String?; var _csrf: String? }
    struct LogoutForm: Decodable { var _csrf: String? }

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("login") { request, context in
            loginPage(context: context, next: request.uri.queryParameters["next"].map(String.init), error: nil, phone: nil)
        }
        router.post("login") { request, context -> Response in
            let form = try await request.decodeForm(as: LoginForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            do {
                let (_, opened) = try await access.login(phone: form.phone, password: form.password, remoteIP: context.remoteIP, kind: .web)
                return redirect(to: Self.safeNext(form.next), cookies: [sessionCookie(opened)])
            } catch let error as AppError where error.status != .tooManyRequests {
                return loginPage(context: context, next: form.next, error: error, phone: form.phone)
            }
        }
        router.get("code") { _, context in
            codePage(context: context, error: nil, householdID: nil)
        }
        router.post("code") { request, context -> Response in
            let form = try await request.decodeForm(as: CodeForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            do {
                let (_, opened) = try await access.openHousehold(householdID: form.household_id, code: form.code, remoteIP: context.remoteIP)
                return redirect(to: "/my-household", cookies: [sessionCookie(opened)])
            } catch let error as AppError where error.status != .tooManyRequests {
                return codePage(context: context, error: error, householdID: form.household_id)
            }
        }
        router.post("logout") { request, context -> Response in
            let form = try await request.decodeForm(as: LogoutForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            switch context.caller {
            case .user(let identity): try await access.close(tokenHash: identity.tokenHash, actor: context.actor)
            case .household(let identity): try await access.close(tokenHash: identity.tokenHash, actor: context.actor)
            case .anonymous: break
            }
            let expired = Cookie(name: AuthenticationMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", secure: services.secureCookies, httpOnly: true, sameSite: .lax)
            return redirect(to: "/login", cookies: [expired])
        }
        router.get("language/:tag") { request, context -> Response in
            guard let tag = context.parameters.get("tag"), let language = Language(tag: tag) else { throw AppError.notFound }
            let back = Self.safeNext(request.uri.queryParameters["next"].map(String.init))
            return redirect(to: back, cookies: [Cookie(name: LanguageMiddleware.cookieName, value: language.rawValue, maxAge: 365 * 24 * 3600, path: "/", secure: services.secureCookies, httpOnly: true, sameSite: .lax)])
        }
    }

    private func sessionCookie(_ opened: AccessService.Opened) -> Cookie {
        Cookie(name: AuthenticationMiddleware.sessionCookie, value: opened.token, expires: opened.session.expiresAt, path: "/", secure: services.secureCookies, httpOnly: true, sameSite: .lax)
    }

    /// Only local paths: a login link must not bounce a person to another site.
    static func safeNext(_ next: String?) -> String {
        // Browsers drop tabs and newlines from URLs, so "/\t/evil.example" would become "//evil.example".
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
              !next.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }),
              let components = URLComponents(string: next), components.scheme == nil, components.host == nil else { return "/" }
        return next
    }

    private func loginPage(context: LinliRequestContext, next: String?, error: AppError?, phone: String?) -> Response {
        Page(title: Catalogue.text("access.login.title", context.language), context: context) {
            """
            \(error.map { "<p class=\"error\" role=\"alert\">\(escape($0.message(in: context.language)))</p>" } ?? "")
            <form method="post" action="/login">
            \(context.csrfField)
            <input type="hidden" name="next" value="\(escape(Self.safeNext(next)))">
            <label for="phone">\(context.t("field.phone"))</label>
            <input id="phone" name="phone" type="tel" autocomplete="username" required value="\(escape(phone ?? ""))">
            <label for="password">\(context.t("field.password"))</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <p><button type="submit" id="login-submit">\(context.t("access.login.submit"))</button></p>
            </form>
            <p><a href="/code">\(context.t("access.code.link"))</a></p>
            """
        }.response(status: error == nil ? .ok : error?.status ?? .ok)
    }

    private func codePage(context: LinliRequestContext, error: AppError?, householdID: String?) -> Response {
        Page(title: Catalogue.text("access.code.title", context.language), context: context) {
            """
            <p class="muted">\(context.t("access.code.explain"))</p>
            \(error.map { "<p class=\"error\" role=\"alert\">\(escape($0.message(in: context.language)))</p>" } ?? "")
            <form method="post" action="/code">
            \(context.csrfField)
            <label for="household_id">\(context.t("field.household_id"))</label>
            <input id="household_id" name="household_id" inputmode="numeric" required value="\(escape(householdID ?? ""))">
            <label for="code">\(context.t("field.code"))</label>
            <input id="code" name="code" autocomplete="off" autocapitalize="characters" required>
            <p><button type="submit">\(context.t("access.code.submit"))</button></p>
            </form>
            """
        }.response(status: error == nil ? .ok : error?.status ?? .ok)
    }
}
