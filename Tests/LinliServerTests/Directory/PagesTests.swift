import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import NIOCore
import Testing

@Suite("Pages: login, household pages, CSRF, language, upload")
struct PagesTests {
    @Test("a form without its CSRF token is refused", arguments: [TestEngine.sqlite])
    func csrf(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            var browser = Browser()
            _ = try await browser.get("/login", client: client)
            let refused = try await browser.post("/login", form: ["phone": try app.account(.buildingLeader).phone, "password": DemoSeeder.password], client: client)
            #expect(refused.status == .forbidden)
            let forged = try await browser.post("/login", form: ["phone": try app.account(.buildingLeader).phone, "password": DemoSeeder.password, "_csrf": "forged"], client: client)
            #expect(forged.status == .forbidden)
        }
    }

    @Test("session cookies are HttpOnly and SameSite, and the pages speak Chinese by default and English on request", arguments: [TestEngine.sqlite])
    func loginAndLanguage(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            var browser = Browser()
            let form = try await browser.get("/login", client: client)
            #expect(form.text.contains("登录"))
            let response = try await browser.post("/login", form: ["phone": try app.account(.buildingLeader).phone, "password": DemoSeeder.password, "_csrf": try Browser.csrfToken(in: form), "next": "/households"], client: client)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/households")
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("linli_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            let list = try await browser.get("/households", client: client)
            #expect(list.status == .ok && list.text.contains("室号"))
            let english = try await browser.get("/households?lang=en", client: client)
            #expect(english.text.contains("Room") && english.headers[.contentLanguage] == "en")
            // The switch on every page remembers the choice and comes back to the page.
            let switched = try await browser.get("/language/en?next=%2Fhouseholds%3Froom%3D101", client: client)
            #expect(switched.status == .seeOther && switched.headers[.location] == "/households?room=101")
            let remembered = try await browser.get("/households", client: client)
            #expect(remembered.headers[.contentLanguage] == "en")
            // ?next= cannot bounce a person to another site.
            var other = Browser()
            let second = try await other.get("/login", client: client)
            let bounced = try await other.post("/login", form: ["phone": try app.account(.buildingLeader).phone, "password": DemoSeeder.password, "_csrf": try Browser.csrfToken(in: second), "next": "//evil.example/x"], client: client)
            #expect(bounced.headers[.location] == "/")
            var third = Browser()
            let form3 = try await third.get("/login", client: client)
            let tabbed = try await third.post("/login", form: ["phone": try app.account(.buildingLeader).phone, "password": DemoSeeder.password, "_csrf": try Browser.csrfToken(in: form3), "next": "/\t/evil.example"], client: client)
            #expect(tabbed.headers[.location] == "/", "browsers drop the tab and would go to //evil.example")
        }
    }

    @Test("a household opened with its code sees its own page in the browser", arguments: [TestEngine.sqlite])
    func householdPage(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let target = try #require(app.demo.households.first)
            var browser = Browser()
            let opened = try await browser.openHousehold(target, client: client)
            #expect(opened.status == .seeOther && opened.headers[.location] == "/my-household")
            let page = try await browser.get("/my-household", client: client)
            #expect(page.status == .ok && page.text.contains("id=\"residents\""))
            #expect(try await browser.get("/households/\(target.id)", client: client).status == .forbidden)
        }
    }

    @Test("a register uploaded through the browser form is imported", arguments: [TestEngine.sqlite])
    func upload(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            var browser = Browser()
            try await browser.logIn(phone: try app.account(.committeeStaff).phone, client: client)
            let compound = try app.account(.compoundLead).placeID
            let page = try await browser.get("/places/\(compound)/register", client: client)
            #expect(page.status == .ok)
            let csrf = try Browser.csrfToken(in: page)
            let file = try RegisterHTTPTests.fixture("register-utf8-bom.csv")
            let boundary = "----linli-test-boundary"
            var body = Data()
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n".utf8))
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"底册.csv\"\r\nContent-Type: text/csv\r\n\r\n".utf8))
            body.append(file)
            body.append(Data("\r\n--\(boundary)--\r\n".utf8))
            let response = try await client.execute(uri: "/places/\(compound)/register", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: browser.cookieHeader], body: ByteBuffer(bytes: body))
            #expect(response.status == .ok)
            #expect(response.text.contains("role=\"status\""), "\(response.text.suffix(800))")
        }
    }
}
