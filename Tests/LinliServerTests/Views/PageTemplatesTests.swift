import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
@testable import LinliServer
import LinliStore
import LinliTestSupport
import Mustache
import SQLKit
import Testing

@Suite("Page templates: they parse, escape what they print, and speak both languages")
struct PageTemplatesTests {
    static var templates: [(name: String, text: String)] {
        PageAssets.files.filter { $0.key.hasSuffix(".mustache") }.map { ($0.key, $0.value) }.sorted { $0.name < $1.name }
    }

    @Test("every template parses, and none prints a value unescaped")
    func parseAndEscape() throws {
        #expect(Self.templates.count >= 20)
        for (name, text) in Self.templates {
            #expect(throws: Never.self, "\(name) parses") { _ = try MustacheTemplate(string: text) }
            // `{{{x}}}` and `{{& x}}` print a value as it is; nothing on a page may.
            #expect(!text.contains("{{{") && !text.contains("{{&"), "\(name) prints a value unescaped")
            // The layout's one script element loads the offline script from its own file.
            let allowedScript = name == "templates/layout.mustache" ? text.replacingOccurrences(of: "<script src=\"{{.}}\" defer></script>", with: "") : text
            #expect(!text.contains("style=") && !text.contains("<style") && !allowedScript.contains("<script"), "\(name) has inline style or script, which the Content-Security-Policy refuses")
        }
        #expect(PageAssets.templates.getTemplate(named: "layout") != nil)
    }

    @Test("every catalogue text a template names exists in both languages")
    func catalogueKeys() throws {
        let pattern = /\{\{\s*t\.([a-z0-9_.]+)\s*\}\}/
        var keys: Set<String> = []
        for (_, text) in Self.templates {
            for match in text.matches(of: pattern) { keys.insert(String(match.1)) }
        }
        #expect(keys.count > 50)
        for key in keys.sorted() {
            let entry = Catalogue.all[key]
            #expect(entry.map { !$0.zhHans.isEmpty && !$0.en.isEmpty } == true, "no text for \(key)")
        }
    }

    @Test("the stylesheet is served under its digest with a year's cache, and an old name is not found")
    func stylesheet() async throws {
        try await TestApp.run(.sqlite) { _, client in
            let css = try await client.execute(uri: PageAssets.stylesheetPath, method: .get)
            #expect(css.status == .ok && css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(css.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(css.body.readableBytes == PageAssets.stylesheet.utf8.count)
            #expect(try await client.execute(uri: "/assets/linli.000000000000.css", method: .get).status == .notFound)
            let page = try await client.execute(uri: "/login", method: .get)
            #expect(page.text.contains("<link rel=\"stylesheet\" href=\"\(PageAssets.stylesheetPath)\">"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("style-src 'self';") == true)
        }
    }

    /// Markup, both quotes, an ampersand and Mustache's own braces: printed raw, any of them
    /// would break a page or run in it.
    static let hostile = "<script>alert(1)</script>\"'&{{t.nav.home}}"
    static let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;{{t.nav.home}}"

    @Test("every page, as every kind of person, shows hostile text in every field escaped")
    func hostileTextEverywhere() async throws {
        try await TestApp.run(.sqlite) { app, client in
            let household = try #require(app.demo.households.first)
            let leader = try app.account(.buildingLeader)
            try await app.store.write { db in
                try await db.raw("UPDATE places SET name = \(bind: "楼" + Self.hostile) WHERE id = \(bind: leader.placeID)").run()
                try await db.raw("UPDATE places SET name = \(bind: "小区" + Self.hostile) WHERE level = 'compound'").run()
                try await db.raw("UPDATE households SET room = \(bind: "5" + Self.hostile) WHERE id = \(bind: household.id)").run()
                try await db.raw("UPDATE residents SET name = \(bind: "王" + Self.hostile), note = \(bind: Self.hostile), health_note = \(bind: Self.hostile) WHERE household_id = \(bind: household.id)").run()
                try await db.raw("UPDATE users SET name = \(bind: "李" + Self.hostile) WHERE phone = \(bind: leader.phone)").run()
                try await db.raw("UPDATE volunteers SET name = \(bind: "赵" + Self.hostile), skills = \(bind: "[\"" + Self.hostile.replacingOccurrences(of: "\"", with: "\\\"") + "\"]")").run()
                try await db.raw("UPDATE teams SET name = \(bind: "队" + Self.hostile)").run()
            }
            // The resident files with hostile words, the leader accepts with a hostile note.
            var resident = Browser()
            try await resident.openHousehold(household, client: client)
            let form = try await resident.get("/requests/new", client: client)
            let filed = try await resident.post("/requests", form: ["_csrf": try Browser.csrfToken(in: form), "category": "medicine", "description": Self.hostile], client: client)
            let location = String(try #require(filed.headers[.location]).prefix { $0 != "?" })
            var staff = Browser()
            try await staff.logIn(phone: leader.phone, client: client)
            let detail = try await staff.get(location, client: client)
            _ = try await staff.post(location + "/act", form: ["_csrf": try Browser.csrfToken(in: detail), "action": "accept", "note": Self.hostile], client: client)
            // A refused form shows what was typed: hostile too.
            let refused = try await resident.post("/requests", form: ["_csrf": try Browser.csrfToken(in: form), "category": "medicine", "description": Self.hostile], client: client)
            #expect(refused.status == .conflict && refused.text.contains(Self.escaped))

            var pages: [(String, TestResponse)] = [("refused form", refused)]
            for (name, phone) in [("leader", leader.phone), ("committee", try app.account(.committeeStaff).phone), ("admin", try app.account(.admin).phone)] {
                var browser = Browser()
                try await browser.logIn(phone: phone, client: client)
                for page in try await Self.crawl(&browser, client: client, from: ["/", location, "/volunteers", "/teams", "/queue", "/requests?open=1"]) { pages.append((name + " " + page.0, page.1)) }
            }
            for page in try await Self.crawl(&resident, client: client, from: ["/my-household", location]) { pages.append(("resident " + page.0, page.1)) }

            var shown = 0
            for (name, page) in pages {
                #expect(!page.text.replacingOccurrences(of: "<script src=\"\(PageAssets.offlineScriptPath)\" defer></script>", with: "").contains("<script"), "\(name) prints markup from data")
                #expect(!page.text.contains("\"'&{{"), "\(name) prints quotes or an ampersand unescaped")
                #expect(!page.text.contains("&amp;amp;"), "\(name) escapes twice")
                if page.text.contains(Self.escaped) { shown += 1 }
            }
            #expect(pages.count > 30)
            #expect(shown > 15, "the hostile text is on the pages, escaped (\(shown) of \(pages.count))")
            let request = pages.first { $0.0 == "leader " + location }?.1.text ?? ""
            #expect(request.components(separatedBy: Self.escaped).count - 1 >= 3, "description, note and address show it, escaped")
        }
    }

    static func crawl(_ browser: inout Browser, client: some TestClientProtocol, from start: [String], limit: Int = 40) async throws -> [(String, TestResponse)] {
        var queue = start
        var seen = Set(start)
        var pages: [(String, TestResponse)] = []
        while !queue.isEmpty, pages.count < limit {
            let path = queue.removeFirst()
            let page = try await browser.get(path, client: client)
            guard page.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
            pages.append((path, page))
            for link in LinkCrawlTests.links(in: page.text) where !seen.contains(link) && !link.contains("/download") {
                seen.insert(link)
                queue.append(link)
            }
        }
        return pages
    }
}

@Suite("The stylesheet, compacted")
struct StylesheetTests {
    @Test("comments and indentation go, rules and strings stay")
    func compact() {
        let css = "/* head */\n.a  >  b ,\n.c {\n  content: attr(x) \": \";\n  margin: 0 0.5rem; /* why */\n}\n@media (max-width: 40rem) { .d { x: y } }\n"
        #expect(PageAssets.compact(css) == ".a>b,.c{content: attr(x) \": \";margin: 0 0.5rem;}@media (max-width: 40rem){.d{x: y}}")
        // About 600 bytes of it are the survey walk's and the offline queue's, about 500 the
        // medicine lists' and labels' (on A4).
        #expect(PageAssets.stylesheet.utf8.count < 11_000)
        #expect(!PageAssets.stylesheet.contains("/*"))
    }
}
