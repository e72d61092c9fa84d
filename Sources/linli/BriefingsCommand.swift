import ArgumentParser
import Foundation
import LinliCore
import LinliServer
import Logging

/// `linli briefings draft`: drafts a day's briefing of every compound that has none, as the
/// server's morning job does, and says how long it took.
struct BriefingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "briefings",
        abstract: "Daily briefings: draft a day's briefing of every compound.",
        subcommands: [Draft.self]
    )

    struct Draft: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draft the day's briefing of every compound that has none yet (drafts and edits already there are kept).",
            discussion: "Prints progress on stderr and one JSON line on stdout: {\"day\", \"compounds\", \"drafted\", \"seconds\"}."
        )

        @OptionGroup var database: DatabaseOptions

        @Option(help: "The day, yyyy-MM-dd (Shanghai). Default: yesterday.")
        var day: String?

        func validate() throws {
            guard let day else { return }
            guard let parsed = BriefingDay(day) else { throw ValidationError("--day must be a day written yyyy-MM-dd, not '\(day)'") }
            guard parsed.start < BriefingDay(containing: Date()).start else { throw ValidationError("--day \(day) has not ended yet in Shanghai") }
        }

        func run() async throws {
            let logger = Logger(label: "linli")
            let result = try await database.withStore { store in
                let key = try await database.householdCodeKey(for: store)
                let services = AppServices(store: store, householdCodeKey: key, logger: logger)
                let started = ContinuousClock.now
                let drafted = try await BriefingDrafting.draftEveryCompound(services: services, day: day) { done, total in
                    if done == total || done % 500 == 0 { FileHandle.standardError.write(Data("drafted \(done) of \(total) compounds\n".utf8)) }
                }
                let elapsed = ContinuousClock.now - started
                return (drafted, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            }
            let (drafted, seconds) = result
            print(#"{"day": "\#(drafted.day)", "compounds": \#(drafted.compounds), "drafted": \#(drafted.drafted), "seconds": \#(String(format: "%.3f", seconds))}"#)
        }
    }
}
