import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("No page links to a page its viewer cannot open")
struct LinkCrawlTests {
    /// The links of a page that lead to another page of Linli by GET.
    static func links(in html: String) -> [String] {
        html.components(separatedBy: "href=\"").dropFirst().compactMap { rest in
            let link = String(rest.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
            guard link.hasPrefix("/"), !link.hasPrefix("//"), !link.hasPrefix("/language/") else { return nil }
            return link
        }
    }

    @Test("every role, crawling from the home page: every link answers 200", arguments: RoleKind.allCases)
    func everyLinkOpens(role: RoleKind) async throws {
        try await TestApp.run(.sqlite) { app, client in
            guard let account = app.demo.generator.accounts.first(where: { $0.role == role }) else { return }
            var browser = Browser()
            try await browser.logIn(phone: account.phone, client: client)
            var queue = ["/"]
            var seen: Set<String> = ["/"]
            var opened = 0
            // Enough pages to reach every kind of page from every place the role sees, not every household.
            while !queue.isEmpty, opened < 80 {
                let path = queue.removeFirst()
                let page = try await browser.get(path, client: client)
                opened += 1
                #expect(page.status == .ok, "\(role.rawValue): \(path) answered \(page.status)")
                guard page.status == .ok, page.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                for link in Self.links(in: page.text) where !seen.contains(link) {
                    seen.insert(link)
                    // One household page of each list is enough; the crawl would otherwise be all households.
                    if link.hasPrefix("/households/"), seen.contains(where: { $0 != link && $0.hasPrefix("/households/") }) && queue.contains(where: { $0.hasPrefix("/households/") }) { continue }
                    queue.append(link)
                }
            }
            #expect(opened > 3, "\(role.rawValue) opened pages")
        }
    }
}
