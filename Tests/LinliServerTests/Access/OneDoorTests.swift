import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("One door to the API: bearer tokens only, however the path is spelled")
struct OneDoorTests {
    /// Spellings a browser, a proxy or an attacker may send for `/api/v1/me`.
    static let spellings = [
        "/api/v1/me", "//api/v1/me", "/api//v1/me", "///api/v1//me", "/./api/v1/me", "/api/./v1/me", "/x/../api/v1/me",
        "/API/v1/me", "/Api/V1/Me", "/%61pi/v1/me", "/%2Fapi/v1/me", "/api%2Fv1%2Fme", "/%2e/api/v1/me",
    ]

    @Test("a web session cookie opens no spelling of an API path (401), a bearer token opens every one", arguments: [TestEngine.sqlite])
    func sessionCookieNeverReachesTheAPI(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            var browser = Browser()
            try await browser.logIn(phone: try app.account(.committeeStaff).phone, client: client)
            #expect(try await browser.get("/", client: client).status == .ok, "the cookie opens the pages")
            let token = try await client.token(phone: try app.account(.committeeStaff).phone)
            for path in Self.spellings {
                let withCookie = try await client.execute(uri: path, method: .get, headers: [.cookie: browser.cookieHeader], body: nil)
                #expect(withCookie.status == .unauthorized, "\(path) with a session cookie answered \(withCookie.status)")
                #expect(withCookie.headers[.contentType]?.hasPrefix("application/json") == true, "\(path): the API's error is JSON")
                let withToken = try await client.json(path, token: token)
                #expect(withToken.status == .ok, "\(path) with a bearer token answered \(withToken.status)")
                #expect(try withToken.jsonObject()["user_id"] != nil)
            }
        }
    }

    @Test("a household's session cookie opens no spelling of an API path either", arguments: [TestEngine.sqlite])
    func householdCookieNeverReachesTheAPI(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let household = try #require(app.demo.households.first)
            var browser = Browser()
            #expect(try await browser.openHousehold(household, client: client).status == .seeOther)
            for path in ["/api/v1/household", "//api/v1/household", "/API/v1/household", "/%61pi/v1/household"] {
                let response = try await client.execute(uri: path, method: .get, headers: [.cookie: browser.cookieHeader], body: nil)
                #expect(response.status == .unauthorized, "\(path) answered \(response.status)")
            }
        }
    }

    @Test("a path that is not the API's keeps its page behaviour under any spelling")
    func pagesUnderOtherSpellings() async throws {
        try await TestApp.run(.sqlite) { _, client in
            for path in ["/login", "//login", "/./login", "/LOGIN"] {
                let response = try await client.execute(uri: path, method: .get, headers: [:], body: nil)
                #expect(response.status == .ok, "\(path) answered \(response.status)")
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            }
        }
    }

    @Test("the canonical path: escapes decoded, empty and dot segments dropped, letters in lower case")
    func canonicalPaths() {
        #expect(CanonicalPath.of("/") == "/")
        #expect(CanonicalPath.of("") == "/")
        #expect(CanonicalPath.of("//api//v1/me/") == "/api/v1/me")
        #expect(CanonicalPath.of("/a/b/../../../api") == "/api")
        #expect(CanonicalPath.of("/%2e%2e/api") == "/api")
        #expect(CanonicalPath.of("/%ff/api") == "/%ff/api", "escapes that are not UTF-8 stay as sent and match nothing")
        #expect(CanonicalPath.of("/requests/%E4%B8%AD") == "/requests/中")
    }

    @Test("over 20,000 random paths the canonical form is stable and has no empty or dot segment (the fast path never lets one through)")
    func canonicalFastPathAgrees() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["/", "/", ".", "..", "a", "api", "A", "%", "%2F", "%2e", "%41", "%ff", "1", "-", "中"]
        for _ in 0..<20_000 {
            let path = (0..<Int.random(in: 0...8, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            let canonical = CanonicalPath.of(path)
            #expect(CanonicalPath.of(canonical) == canonical, "\(path) → \(canonical)")
            #expect(canonical.hasPrefix("/"))
            #expect(!canonical.contains("//") && !canonical.contains("/./") && !canonical.hasSuffix("/.") || canonical == "/", "\(path) → \(canonical)")
        }
    }

    @Test("HEAD answers like GET without a body, on pages and on the API")
    func headAnswersLikeGet() async throws {
        try await TestApp.run(.sqlite) { app, client in
            let page = try await client.execute(uri: "/login", method: .head, headers: [:], body: nil)
            #expect(page.status == .ok)
            #expect(page.body.readableBytes == 0)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            let token = try await client.token(phone: try app.account(.committeeStaff).phone)
            let api = try await client.execute(uri: "/api/v1/me", method: .head, headers: [.authorization: "Bearer \(token)"], body: nil)
            #expect(api.status == .ok)
            #expect(api.body.readableBytes == 0)
            let anonymous = try await client.execute(uri: "/api/v1/me", method: .head, headers: [:], body: nil)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test("every answer forbids framing and type sniffing; pages run no inline or foreign script")
    func securityHeaders() async throws {
        try await TestApp.run(.sqlite) { _, client in
            for path in ["/login", "/api/v1/me", "/no-such-page", "/health"] {
                let response = try await client.execute(uri: path, method: .get, headers: [:], body: nil)
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(path)")
                let policy = response.headers[.contentSecurityPolicy] ?? ""
                #expect(policy.contains("frame-ancestors 'none'"), "\(path): \(policy)")
                // Only the site's own script files run (the offline queue): nothing inline, nothing from elsewhere.
                #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self';") && !policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"), "\(path): only the site's own scripts may run")
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(path)")
            }
        }
    }
}
