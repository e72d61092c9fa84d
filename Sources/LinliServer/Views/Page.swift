import Foundation
import Hummingbird
import LinliCore

/// HTML-escapes text for element content and attribute values.
func escape(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&#39;"
        default: escaped.append(character)
        }
    }
    return escaped
}

/// A server-rendered page: small and mobile first, for volunteers on phones in stairwells on a slow
/// network. It needs no JavaScript, and the Content-Security-Policy allows none.
struct Page {
    let title: String
    let context: LinliRequestContext
    let body: String

    init(title: String, context: LinliRequestContext, body: () -> String) {
        self.title = title
        self.context = context
        self.body = body()
    }

    func t(_ key: String, _ arguments: [String: String] = [:]) -> String {
        escape(Catalogue.text(key, context.language, arguments))
    }

    /// Where the language switch comes back to: this page.
    private var returnPath: String {
        (context.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")
    }

    func render() -> String {
        let language = context.language
        let otherLanguage: Language = language == .zhHans ? .en : .zhHans
        var navigation = "<a href=\"/\">\(t("nav.home"))</a>"
        switch context.caller {
        case .user(let identity):
            navigation += " <a href=\"/queue\">\(t("nav.queue"))</a> <a href=\"/board\">\(t("nav.board"))</a> <a href=\"/households\">\(t("nav.households"))</a> <a href=\"/volunteers\">\(t("nav.volunteers"))</a> <a href=\"/teams\">\(t("nav.teams"))</a>"
            navigation += " <form method=\"post\" action=\"/logout\" class=\"inline\"><input type=\"hidden\" name=\"_csrf\" value=\"\(escape(context.csrfToken))\"><button>\(t("nav.logout")) (\(escape(identity.user.name)))</button></form>"
        case .household:
            navigation += " <a href=\"/my-household\">\(t("nav.my_household"))</a> <form method=\"post\" action=\"/logout\" class=\"inline\"><input type=\"hidden\" name=\"_csrf\" value=\"\(escape(context.csrfToken))\"><button>\(t("nav.logout"))</button></form>"
        case .anonymous:
            navigation += " <a href=\"/login\">\(t("nav.login"))</a> <a href=\"/code\">\(t("nav.household_code"))</a>"
        }
        return """
        <!doctype html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) · \(t("app.name"))</title>
        <style>
        body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;padding:0 12px 24px;line-height:1.5;max-width:960px}
        header{display:flex;flex-wrap:wrap;gap:8px;align-items:center;padding:8px 0;border-bottom:1px solid #ccc;margin-bottom:12px}
        header a,header button{font-size:15px}
        .inline{display:inline}
        table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:6px 4px;text-align:left;vertical-align:top}
        input,select,button{font-size:16px;padding:6px;margin:2px 0}
        label{display:block;margin-top:8px}
        .error{color:#b00020;font-weight:bold}.muted{color:#666}.sensitive{background:#fff4e5}
        @media print{header,form{display:none}}
        </style>
        </head>
        <body>
        <header><strong>\(t("app.name"))</strong> \(navigation) <a href="/language/\(otherLanguage.rawValue)?next=\(escape(returnPath))" lang="\(otherLanguage.rawValue)">\(escape(Catalogue.text("nav.language", otherLanguage)))</a></header>
        <main>
        <h1>\(escape(title))</h1>
        \(body)
        </main>
        </body>
        </html>
        """
    }

    func response(status: HTTPResponse.Status = .ok, extraHeaders: HTTPFields = [:]) -> Response {
        var headers = extraHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: render())))
    }
}

extension LinliRequestContext {
    func t(_ key: String, _ arguments: [String: String] = [:]) -> String {
        escape(Catalogue.text(key, language, arguments))
    }

    var csrfField: String { "<input type=\"hidden\" name=\"_csrf\" value=\"\(escape(csrfToken))\">" }
}

func redirect(to location: String, cookies: [Cookie] = []) -> Response {
    var response = Response(status: .seeOther, headers: [.location: location])
    for cookie in cookies { response.setCookie(cookie) }
    return response
}
