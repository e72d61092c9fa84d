import Foundation
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("`linli verify` as a process: exit 0 while the chains hold, 1 naming the tampered entry")
struct VerifyCommandTests {
    @Test("an intact custody chain verifies; an edited entry is named with its chain, seq and row id")
    func verifyAsProcess() async throws {
        let linli = try LinliBinary()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("linli-verify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("linli.sqlite").path

        let store = try await Store.open(.sqlite(path: database))
        let (chain, rowID) = try await store.closing { store in
            let fixture = try await CustodyFixture.make(store)
            _ = try await fixture.walkCard(store)
            let rowID = try await store.read { db in
                try await db.raw("SELECT id FROM card_custody WHERE seq = 3").first()!.decode(column: "id", as: Int64.self)
            }
            return (fixture.chain, rowID)
        }

        let intact = try linli.run(["verify", "--database", database], input: Data())
        #expect(intact.status == 0, "\(intact.output)\(intact.errors)")
        #expect(intact.output.contains("1 chains, 4 entries checked; all hold"))

        let tamper = try await Store.open(.sqlite(path: database))
        try await tamper.closing { store in
            try await store.write { db in try await db.raw("UPDATE card_custody SET at = at + 1 WHERE id = \(bind: rowID)").run() }
        }
        let broken = try linli.run(["verify", "--database", database], input: Data())
        #expect(broken.status == 1)
        #expect(broken.output.contains("\(chain): entry seq 3 (row id \(rowID)) was altered"), "\(broken.output)")
    }
}
