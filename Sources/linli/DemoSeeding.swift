import Foundation
import LinliCore
import LinliServer
import LinliStore

/// Demo data from the command line: progress on stderr, then the logins.
enum DemoSeeding {
    static func seed(store: Store, householdCodeKey: HouseholdCodeKey, passwords: Passwords, scale: DemoScale, seed: UInt64) async throws -> DemoSeeder.Outcome {
        var lastReport = Date.distantPast
        do {
            return try await DemoSeeder.seed(store: store, householdCodeKey: householdCodeKey, scale: scale, seed: seed, passwords: passwords) { progress, elapsed in
                let now = Date()
                guard now.timeIntervalSince(lastReport) >= 2 || progress.householdsDone == progress.householdsExpected else { return }
                lastReport = now
                report(String(format: "demo: %d / %d households (%.0f %%), %d residents, %.0f s", progress.householdsDone, progress.householdsExpected, progress.fraction * 100, progress.residentsDone, elapsed))
            }
        } catch let error as DemoSeederError {
            throw CLIError(error.description)
        }
    }

    /// For `serve --demo`: seeds the compound scale into an empty database, and prints the logins
    /// either way.
    static func seedIfEmpty(store: Store, householdCodeKey: HouseholdCodeKey, passwords: Passwords, scale: DemoScale, seed: UInt64) async throws {
        let existing = try await store.read { db in try await DirectoryRecords.rootPlaces(on: db) }
        if existing.isEmpty {
            let outcome = try await self.seed(store: store, householdCodeKey: householdCodeKey, passwords: passwords, scale: scale, seed: seed)
            if let history = outcome.history { report(describe(history)) }
            printLogins(outcome.generator.accounts, households: outcome.households)
        } else {
            let generator = DemoGenerator(scale: scale, seed: seed, referenceYear: 2022)
            report("The database already has data; demo logins (if it was seeded with demo data):")
            printLogins(generator.accounts, households: [])
        }
    }

    /// One line on what the two weeks of history hold, for the operator's terminal (English,
    /// like the rest of the command line's reports).
    static func describe(_ history: DemoHistorySummary) -> String {
        let statuses = RequestStatus.allCases.map { "\(history.byStatus[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        let urgencies = Urgency.allCases.map { "\(history.byUrgency[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        return "demo: \(history.requests) requests over the last \(DemoHistory.days) days (\(statuses); \(urgencies)); "
            + "\(history.overdue) overdue, \(history.escalated) escalated, \(history.reopened) reopened; "
            + "\(history.notificationsDelivered) notifications delivered, \(history.notificationsDead) dead letters"
    }

    static func printLogins(_ accounts: [DemoAccount], households: [DemoSeeder.DemoHousehold]) {
        var lines = ["Demo logins (password for all: \(DemoSeeder.password)):"]
        for account in accounts {
            lines.append("  \(account.phone)  \(account.name)  \(account.role.rawValue) @ place \(account.placeID)")
        }
        if !households.isEmpty {
            lines.append("Household codes (resident pages at /code):")
            for household in households { lines.append("  household \(household.id)  code \(household.code)") }
        }
        report(lines.joined(separator: "\n"))
    }
}
