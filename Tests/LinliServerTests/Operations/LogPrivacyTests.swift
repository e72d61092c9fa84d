import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Logging
import NIOConcurrencyHelpers
import Testing

/// Every line logged, as text, at every level.
private final class CapturedLog: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])
    func append(_ line: String) { lines.withLockedValue { $0.append(line) } }
    var text: String { lines.withLockedValue { $0.joined(separator: "\n") } }
    var count: Int { lines.withLockedValue { $0.count } }
}

private struct CapturingLogHandler: LogHandler {
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        log.append("\(event.level) \(event.message) \(fields)")
    }
}

@Suite("Logs carry no personal data")
struct LogPrivacyTests {
    @Test("a search by name and phone tail logs the fields it used, never the name, the digits or the address")
    func searchesLogFieldsNotValues() async throws {
        try await withTestStore(.sqlite) { store in
            let demo = try await DemoSeeder.seed(store: store, householdCodeKey: TestApp.householdCodeKey, scale: .compound, passwords: TestApp.passwords)
            let captured = CapturedLog()
            let logger = Logger(label: "linli-test") { _ in CapturingLogHandler(log: captured) }
            let services = AppServices(store: store, householdCodeKey: TestApp.householdCodeKey, passwords: TestApp.passwords, logger: logger)
            let app = buildApplication(ServerConfiguration(), services: services, runJobs: false)
            let staff = try #require(demo.generator.accounts.first { $0.role == .committeeStaff })
            let householdID = try #require(demo.households.first).id
            let detail = try #require(try await store.read { db in try await HouseholdRecords.detail(id: householdID, on: db) })
            let resident = try #require(detail.residents.first { $0.phone != nil })
            let tail = String(try #require(resident.phone).suffix(4))
            // A name no other log line could contain by chance.
            let surname = String(resident.name.prefix(2))
            try await app.test(.router) { client in
                let token = try await client.token(phone: staff.phone, password: DemoSeeder.password)
                let query = "name=\(surname.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&phone_tail=\(tail)"
                let api = try await client.json("/api/v1/households?\(query)", token: token)
                #expect(api.status == .ok)
                var browser = Browser()
                try await browser.logIn(phone: staff.phone, client: client)
                let page = try await browser.get("/households?\(query)", client: client)
                #expect(page.status == .ok)
                #expect(page.text.contains(resident.name), "the search found the resident, so the values were really used")
            }
            let text = captured.text
            #expect(captured.count > 4, "requests were logged at all")
            #expect(text.contains("query_fields=name,phone_tail"), "the fields used are logged")
            #expect(text.contains("route=/api/v1/households"))
            #expect(!text.contains(surname), "the name searched for is not in the log")
            #expect(!text.contains(surname.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? surname), "nor its percent-encoded form")
            #expect(!text.contains("phone_tail=\(tail)") && !text.contains("=\(tail)"), "nor the phone digits")
            #expect(!text.contains(DemoSeeder.password), "nor the password of the login")
            #expect(!text.contains(staff.phone), "nor the phone that logged in")
        }
    }

    @Test("query names that are not plain identifiers are logged as ?")
    func oddQueryNames() {
        #expect(LoggedQuery.fieldNames("name=%E5%BC%A0&phone_tail=1234&name=x") == ["name", "phone_tail"])
        #expect(LoggedQuery.fieldNames("13812345678=1&&=2") == ["?"])
        #expect(LoggedQuery.fieldNames(nil).isEmpty)
    }
}
