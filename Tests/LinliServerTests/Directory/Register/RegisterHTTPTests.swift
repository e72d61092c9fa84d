import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import NIOCore
import Testing

@Suite("Household register upload and download over HTTP")
struct RegisterHTTPTests {
    static func fixture(_ name: String) throws -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Fixtures/register/\(name)").standardized
        return try Data(contentsOf: url)
    }

    static func upload(_ data: Data, name: String, to place: PlaceID, token: String, partial: Bool = false, client: some TestClientProtocol) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/v1/places/\(place)/register?filename=\(name)" + (partial ? "&partial=true" : ""),
            method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: "application/octet-stream"],
            body: ByteBuffer(bytes: data)
        )
    }

    static func report(_ response: TestResponse) throws -> [String: Any] {
        try #require(try response.jsonObject()["report"] as? [String: Any])
    }

    @Test("an XLSX and a CSV register with Chinese headers import; importing again is a no-op", arguments: TestEngine.available)
    func importBoth(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let committee = try app.account(.committeeStaff).placeID
            let compounds = try await app.store.read { db in try await DirectoryRecords.children(of: committee, on: db) }.map(\.place.id)
            try #require(compounds.count >= 2)
            let token = try await client.token(phone: try app.account(.committeeStaff).phone)
            // The two files hold the same people, so each goes to its own compound.
            for (name, compound) in zip(["register.xlsx", "register-utf8-bom.csv"], compounds) {
                let data = try Self.fixture(name)
                let first = try await Self.upload(data, name: name, to: compound, token: token, client: client)
                #expect(first.status == .ok, "\(name): \(first.text)")
                let created = try Self.report(first)["residents_created"] as? Int ?? 0
                let updated = try Self.report(first)["residents_updated"] as? Int ?? 0
                #expect(created + updated > 0, "\(name) changed nothing")
                let again = try await Self.upload(data, name: name, to: compound, token: token, client: client)
                let report = try Self.report(again)
                #expect(report["residents_created"] as? Int == 0 && report["residents_updated"] as? Int == 0 && report["households_created"] as? Int == 0, "\(name) again: \(again.text)")
            }
            let audit = try await app.store.read { db in try await AuditRecords.entries(action: "resident.create", limit: 1000, on: db) }
            #expect(!audit.isEmpty && audit.allSatisfy { $0.after != nil })
        }
    }

    @Test("a file with one bad row imports nothing and names the row", arguments: TestEngine.available)
    func badRow(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let compound = try app.account(.compoundLead).placeID
            let token = try await client.token(phone: try app.account(.committeeStaff).phone)
            let before = try await app.store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM residents").first()?.decode(column: "n", as: Int.self) }
            let response = try await Self.upload(try Self.fixture("register-bad-row.xlsx"), name: "register-bad-row.xlsx", to: compound, token: token, client: client)
            #expect(response.status == .unprocessableContent)
            let report = try Self.report(response)
            #expect(report["rejected"] as? Bool == true)
            let issues = try #require(report["issues"] as? [[String: Any]])
            #expect(issues.map { $0["row"] as? Int } == [7])
            let messages = try #require(try response.jsonObject()["messages"] as? [String])
            #expect(messages.first?.contains("7") == true)
            let after = try await app.store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM residents").first()?.decode(column: "n", as: Int.self) }
            #expect(before == after)
        }
    }

    @Test("the exported register re-imports to the same data; full phones need the right role and are audited", arguments: TestEngine.available)
    func exportRoundTrip(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let building = try app.account(.buildingLeader).placeID
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            for format in ["csv", "xlsx"] {
                let exported = try await client.json("/api/v1/places/\(building)/register?format=\(format)&unmasked=true", token: staff)
                #expect(exported.status == .ok)
                let data = Data(buffer: exported.body)
                let compound = try app.account(.compoundLead).placeID
                let again = try await Self.upload(data, name: "export.\(format)", to: compound, token: staff, client: client)
                #expect(again.status == .ok, "\(format): \(again.text)")
                let report = try Self.report(again)
                #expect(report["residents_created"] as? Int == 0 && report["residents_updated"] as? Int == 0, "\(format): \(again.text)")
                #expect((report["unchanged"] as? Int ?? 0) > 0)
            }
            let audited = try await app.store.read { db in try await AuditRecords.entries(action: "register.export_unmasked", on: db) }
            #expect(audited.count == 2)
            let masked = try await client.json("/api/v1/places/\(building)/register?format=csv", token: staff)
            let rows = try Spreadsheet.decode(Data(buffer: masked.body), fileName: "x.csv")
            let phoneColumn = try #require(rows.first?.firstIndex(of: "电话"))
            #expect(rows.dropFirst().allSatisfy { $0[phoneColumn].isEmpty || $0[phoneColumn].contains("*") })
            // A compound lead may manage the register but not export full phones.
            let lead = try await client.token(phone: try app.account(.compoundLead).phone)
            #expect(try await client.json("/api/v1/places/\(building)/register?unmasked=true", token: lead).status == .forbidden)
            let leader = try await client.token(phone: try app.account(.buildingLeader).phone)
            #expect(try await client.json("/api/v1/places/\(building)/register", token: leader).status == .forbidden)
        }
    }
}
