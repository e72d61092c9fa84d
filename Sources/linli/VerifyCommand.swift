import ArgumentParser
import Foundation
import LinliStore

/// `linli verify`: walks every hash chain (card custody, the supplies ledger, and any chained
/// table added to `HashChainTable.all`) and names the first altered, inserted or deleted entry of each broken one.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every hash chain in the database (card custody, supplies ledger): exit 0 when all hold, 1 naming the first broken entry of each chain that does not."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let summary = try await database.withStore(migrate: false) { store in
            try await HashChainRecords.verifyAll(store: store) { report in
                if let problem = report.problem {
                    print("BROKEN \(problem)")
                } else {
                    print("ok     \(report.chain): \(report.entries) entries")
                }
            }
        }
        let broken = summary.filter { $0.problem != nil }
        let entries = summary.reduce(0) { $0 + $1.entries }
        print("\(summary.count) chains, \(entries) entries checked; \(broken.isEmpty ? "all hold" : "\(broken.count) broken")")
        if !broken.isEmpty { throw ExitCode.failure }
    }
}
