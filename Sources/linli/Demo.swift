import ArgumentParser
import Foundation
import LinliCore
import LinliServer
import LinliStore

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Generate a deterministic, realistic demo data set into an empty database.")

    @Option(help: "compound (~1k households), subdistrict (~65k) or district (~2.3 M).") var scale: String = "compound"
    @Option(help: "Seed of the generator: the same seed gives the same data.") var seed: UInt64 = 2022
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard DemoScale(rawValue: scale) != nil else { throw ValidationError("--scale must be compound, subdistrict or district") }
    }

    func run() async throws {
        guard let scale = DemoScale(rawValue: scale) else { return }
        let outcome = try await database.withStore { store in
            let key = try await database.householdCodeKey(for: store)
            return try await DemoSeeding.seed(store: store, householdCodeKey: key, passwords: Passwords(), scale: scale, seed: seed)
        }
        let counts = outcome.generator.expectedCounts
        report(String(format: "demo: %@ scale, about %d households and %d residents in %.1f s", scale.rawValue, counts.households, counts.residents, outcome.seconds))
        if let history = outcome.history { report(DemoSeeding.describe(history)) }
        DemoSeeding.printLogins(outcome.generator.accounts, households: outcome.households)
    }
}
