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
            try loginPage(context: context, next: request.uri.queryParameters["next"].map(String.init), error: nil, phone: nil)
        }
        router.post("login") { request, context -> Response in
            let form = try await request.decodeForm(as: LoginForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            do {
                let (_, opened) = try await access.login(phone: form.phone, password: form.password, remoteIP: context.remoteIP, kind: .web)
                return redirect(to: Self.safeNext(form.next), cookies: [sessionCookie(opened)])
            } catch let error as AppError {
                // Refusals, a wait among them, come back on the form itself with what was typed.
                return try loginPage(context: context, next: form.next, error: error, phone: form.phone)
            }
        }
        router.get("code") { _, context in
            try codePage(context: context, error: nil, householdID: nil)
        }
        router.post("code") { request, context -> Response in
            let form = try await request.decodeForm(as: CodeForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            do {
                let (_, opened) = try await access.openHousehold(householdID: form.household_id, code: form.code, remoteIP: context.remoteIP)
                return redirect(to: "/my-household", cookies: [sessionCookie(opened)])
            } catch let error as AppError {
                return try codePage(context: context, error: error, householdID: form.household_id)
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

    struct LoginContent {
        var next: String
        var phone: FormField
        var password: FormField
        var whom: String?
    }

    private func loginPage(context: LinliRequestContext, next: String?, error: AppError?, phone: String?) throws -> Response {
        let errors = FormErrors(error, language: context.language, fields: ["phone", "password"], defaultField: "phone")
        let content = LoginContent(
            next: Self.safeNext(next),
            phone: FormField("phone", label: context.text("field.phone"), error: errors.message(for: "phone"), value: phone, inputmode: "tel", autocomplete: "username", maxlength: 40, required: true),
            password: FormField("password", label: context.text("field.password"), error: errors.message(for: "password"), type: "password", autocomplete: "current-password", maxlength: 200, required: true),
            whom: error == nil ? nil : context.text("access.login.whom_to_ask")
        )
        return try PageView(template: "access/login", title: context.text("access.login.title"), content: content, errors: errors.messages)
            .response(context, status: error?.status ?? .ok, headers: error?.headers ?? [:])
    }

    struct CodeContent {
        var householdID: FormField
        var code: FormField
        var whom: String?
    }

    private func codePage(context: LinliRequestContext, error: AppError?, householdID: String?) throws -> Response {
        let errors = FormErrors(error, language: context.language, fields: ["household_id", "code"], defaultField: "code")
        let content = CodeContent(
            householdID: FormField("household_id", label: context.text("field.household_id"), hint: context.text("access.code.household_hint"), error: errors.message(for: "household_id"), value: householdID, inputmode: "numeric", autocomplete: "off", maxlength: 20, required: true),
            code: FormField("code", label: context.text("field.code"), hint: context.text("access.code.code_hint"), error: errors.message(for: "code"), autocomplete: "off", maxlength: 40, required: true),
            whom: error == nil ? nil : context.text("access.code.whom_to_ask")
        )
        return try PageView(template: "access/code", title: context.text("access.code.title"), content: content, errors: errors.messages)
            .response(context, status: error?.status ?? .ok, headers: error?.headers ?? [:])
    }
}
