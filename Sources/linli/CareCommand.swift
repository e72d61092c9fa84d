import ArgumentParser
import Foundation
import LinliCore

struct CareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "care",
        abstract: "Care for vulnerable people: pairing them with helpers.",
        subcommands: [Pair.self]
    )

    struct Pair: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read one pairing instance as JSON on stdin; print the optimal pairing as JSON.",
            discussion: """
            In:  {"buildings": [{"compound","building","x","y"}], "people": [{"id","compound","building","floor","needs","pinned"}],
                  "helpers": [{"id","compound","building","floor","skills","capacity"}]}
            Out: {"primary": {person: helper}, "backup": {person: helper}, "unpaired": [person], "cost": {"primary", "backup"}}
            The same solver serves the server. docs/CARE.md states the cost it minimises.
            """
        )

        func run() async throws {
            let input = FileHandle.standardInput.readDataToEndOfFile()
            let instance: PairingInstance
            do {
                instance = try JSONDecoder().decode(PairingInstance.self, from: input)
            } catch {
                throw CLIError("the input is not a pairing instance: \(Self.describe(error))")
            }
            if let problem = instance.problem() { throw CLIError(problem) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            var output = try encoder.encode(PairingSolver.solve(instance))
            output.append(UInt8(ascii: "\n"))
            FileHandle.standardOutput.write(output)
        }

        static func describe(_ error: Error) -> String {
            func path(_ keys: [any CodingKey]) -> String {
                keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
            }
            return switch error {
            case DecodingError.keyNotFound(let key, let context): "\(path(context.codingPath + [key])) is missing"
            case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context): "\(path(context.codingPath)) has the wrong type"
            case DecodingError.dataCorrupted(let context): context.debugDescription
            default: "\(error)"
            }
        }
    }
}
