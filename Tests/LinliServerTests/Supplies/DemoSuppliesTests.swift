import Foundation
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("The demo's relief supplies: every household of the compound received its package, the ledger holds, the shelf has items")
struct DemoSuppliesTests {
    @Test("a relief batch handed out to every household of the demo compound, a donation in the pool, three shelf items open", arguments: [TestEngine.sqlite])
    func demoSupplies(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let demo = try await DemoSeeder.seed(store: store, householdCodeKey: TestApp.householdCodeKey, scale: .compound, passwords: TestApp.passwords)
            let lead = try #require(demo.generator.accounts.first { $0.role == .compoundLead })
            try await store.read { db in
                let compound = try #require(try await DirectoryRecords.place(id: lead.placeID, on: db))
                let households = try await SupplyRecords.householdFacts(under: compound.path, on: db).count
                let batches = try await SupplyRecords.batches(concerning: compound.path, on: db)
                let relief = try #require(batches.first { $0.kind == .relief })
                let figures = try #require(try await SupplyRecords.figures(batchIDs: [relief.id], under: compound.path, on: db)[relief.id])
                #expect(households > 0 && figures.householdsReceived == households && figures.handedOut == households)
                #expect(figures.left == relief.received - households - 1)
                #expect(batches.contains { $0.kind == .donation && $0.stock > 0 })
                #expect(try await SupplyRecords.shelf(under: compound.path, on: db).count == 3, "four items offered, one taken")
                let printed = try #require(demo.households.first)
                #expect(try await SupplyRecords.receipts(householdID: printed.id, on: db).first?.handout.confirmedBy == "household_code")
            }
            let reports = try await HashChainRecords.verifyAll(store: store)
            #expect(reports.contains { $0.chain.hasPrefix("supplies/") } && reports.allSatisfy { $0.problem == nil })
        }
    }
}
