import Foundation
import Hummingbird
import LinliCore
import Mustache

/// A link as pages show it.
struct Link: Sendable {
    var href: String
    var label: String
    /// This link leads to the page being shown (`aria-current="page"`).
    var current = false
}

/// A status or urgency as a tag: its words, and a class that gives it its colour. Colour alone
/// never carries the meaning, for people who cannot tell red from amber and for print.
struct Tag: Sendable {
    var text: String
    var tone: String

    init(_ key: String, tone: String, _ language: Language) {
        text = Catalogue.text(key, language)
        self.tone = tone
    }

    static func status(_ status: RequestStatus, _ language: Language) -> Tag { Tag(status.catalogueKey, tone: status.rawValue, language) }
    static func urgency(_ urgency: Urgency, _ language: Language) -> Tag { Tag(urgency.catalogueKey, tone: urgency.rawValue, language) }
}

/// A server-rendered page: a template under `Views/Assets/templates` and the values it shows.
///
/// Templates are Mustache, whose `{{value}}` escapes everything it prints; a test refuses the
/// unescaped forms (`{{{value}}}`, `{{&value}}`) in every template, so no text reaches a page
/// unescaped. Pages are small and need no JavaScript (the Content-Security-Policy allows none):
/// volunteers read them on phones in stairwells on slow networks.
struct PageView<Content> {
    var template: String
    var title: String
    var content: Content
    var breadcrumbs: [Link] = []
    /// The notification banner after an action ("已接单"), already in the page's language.
    var banner: String?
    /// A refused form's errors, shown at the top with a link to each field, and beside each field.
    var errors: [FieldMessage] = []
    /// The page has forms that must work without signal (`form[data-offline]`): it loads the
    /// offline script, which also registers the service worker, and shows the queue of what waits.
    var offline = false

    func render(_ context: LinliRequestContext) throws -> String {
        var chrome = Chrome(context: context, title: title, breadcrumbs: breadcrumbs, banner: banner, errors: errors)
        if offline { chrome.offlineScript = PageAssets.offlineScriptPath }
        let scope = PageScope(text: TextLookup(language: context.language, key: ""), chrome: chrome, content: content)
        guard let html = PageAssets.templates.render(scope, withTemplate: template) else { throw PageError.missingTemplate(template) }
        return html
    }

    func response(_ context: LinliRequestContext, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: try render(context))))
    }
}

enum PageError: Error, CustomStringConvertible {
    case missingTemplate(String)
    var description: String {
        switch self {
        case .missingTemplate(let name): "no page template named \(name)"
        }
    }
}

/// One message about one form field.
struct FieldMessage: Sendable {
    /// The id of the input it is about, for the error summary's link.
    var field: String
    var message: String
}

/// What every page shows around its content: header, navigation, language switch, breadcrumbs,
/// banner and error summary.
struct Chrome {
    var language: String
    var title: String
    var appName: String
    var stylesheet: String
    var navigation: [Link]
    var userName: String?
    var signedIn: Bool
    var csrf: String
    var otherLanguage: Link
    var otherLanguageTag: String
    var breadcrumbs: [Link]
    var banner: String?
    var errors: [FieldMessage]
    // Stored, not computed: templates read values through `Mirror`, which sees stored ones only.
    var hasBreadcrumbs: Bool
    var hasErrors: Bool
    /// The offline script's address, on pages with forms that work without signal.
    var offlineScript: String?

    init(context: LinliRequestContext, title: String, breadcrumbs: [Link], banner: String?, errors: [FieldMessage]) {
        let language = context.language
        let other: Language = language == .zhHans ? .en : .zhHans
        self.language = language.rawValue
        self.title = title
        appName = Catalogue.text("app.name", language)
        stylesheet = PageAssets.stylesheetPath
        csrf = context.csrfToken
        let here = context.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        var links: [(String, String)]
        switch context.caller {
        case .user(let identity):
            userName = identity.user.name
            signedIn = true
            links = [("/", "nav.home"), ("/requests", "nav.requests"), ("/queue", "nav.queue"), ("/board", "nav.board"), ("/households", "nav.households"), ("/volunteers", "nav.volunteers"), ("/teams", "nav.teams")]
            // Those who read the register get the dashboard; everyone else may be a helper, with
            // their own people only.
            links.append(identity.grants.scopes(for: .viewSensitive).isEmpty ? ("/care/mine", "nav.care") : ("/care", "nav.care"))
            if !identity.grants.scopes(for: .runMedicine).isEmpty { links.append(("/medicine", "nav.medicine")) }
            if !identity.grants.scopes(for: .leadGroupBuys).isEmpty || !identity.grants.scopes(for: .handOutSupplies).isEmpty { links.append(("/group-buys", "nav.group_buys")) }
            if !identity.grants.scopes(for: .handOutSupplies).isEmpty { links.append(("/supplies", "nav.supplies")) }
            // One entry for the information work (rumours, notices, answers), linked from its board:
            // every link here is weight on every page, and the survey walk sits at the 30 KB line.
            links.append(("/rumours", "nav.information"))
        case .household:
            userName = nil
            signedIn = true
            links = [("/my-household", "nav.my_household"), ("/requests/new", "nav.new_request"), ("/group-buys", "nav.group_buys"), ("/notices", "nav.notices"),
                     ("/answers", "nav.answers")]
        case .anonymous:
            userName = nil
            signedIn = false
            links = [("/login", "nav.login"), ("/code", "nav.household_code"), ("/answers", "nav.answers")]
        }
        navigation = links.map { href, key in
            Link(href: href, label: Catalogue.text(key, language), current: href == here || (href != "/" && here.hasPrefix(href + "/") && !links.contains { $0.0 == here }))
        }
        let returnPath = context.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
        otherLanguage = Link(href: "/language/\(other.rawValue)?next=\(returnPath)", label: Catalogue.text("nav.language", other))
        otherLanguageTag = other.rawValue
        self.breadcrumbs = breadcrumbs
        self.banner = banner
        self.errors = errors
        hasBreadcrumbs = !breadcrumbs.isEmpty
        hasErrors = !errors.isEmpty
    }
}

/// The root a template renders against: `t` for catalogue texts (`{{t.requests.page.queue}}`),
/// `chrome` for the layout, and the page's own values by name.
struct PageScope: MustacheParent {
    let text: TextLookup
    let chrome: Chrome
    let content: Any

    func child(named name: String) -> Any? {
        switch name {
        case "t": return text
        case "chrome": return chrome
        default:
            guard let value = Mirror(reflecting: content).children.first(where: { $0.label == name })?.value else { return nil }
            return PageScope.unwrapped(value)
        }
    }

    /// Optionals come out of `Mirror` boxed in `Any`; an empty one must read as missing, so a
    /// `{{#note}}` section is skipped when there is no note.
    static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        guard let wrapped = mirror.children.first?.value else { return nil }
        return unwrapped(wrapped)
    }
}

/// `{{t.some.key}}` in a template: each name after `t` extends the key, and the text is the
/// catalogue's in the page's language (escaped like any other value).
struct TextLookup: MustacheParent, MustacheCustomRenderable {
    let language: Language
    let key: String

    func child(named name: String) -> Any? { TextLookup(language: language, key: key.isEmpty ? name : key + "." + name) }
    var renderText: String { Catalogue.text(key, language) }
    var isNull: Bool { false }
}

extension LinliRequestContext {
    func text(_ key: String, _ arguments: [String: String] = [:]) -> String {
        Catalogue.text(key, language, arguments)
    }
}

/// The banner a page shows after the action that led to it: `?notice=accepted` names the
/// catalogue text `notice.accepted`. Only known notices are shown, so a link cannot put words of
/// its own on the page.
func noticeBanner(_ request: Request, _ context: LinliRequestContext) -> String? {
    guard let notice = request.uri.queryParameters["notice"].map(String.init), notice.count <= 40,
          Catalogue.all["notice.\(notice)"] != nil else { return nil }
    return context.text("notice.\(notice)")
}

func redirect(to location: String, cookies: [Cookie] = []) -> Response {
    var response = Response(status: .seeOther, headers: [.location: location])
    for cookie in cookies { response.setCookie(cookie) }
    return response
}

extension Response {
    func withStatus(_ status: HTTPResponse.Status) -> Response {
        var response = self
        response.status = status
        return response
    }
}
