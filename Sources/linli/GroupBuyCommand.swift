import ArgumentParser
import Foundation
import LinliCore

struct GroupBuyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group-buy",
        abstract: "Group buying: fair shares when fewer goods arrive than were ordered.",
        subcommands: [Allocate.self]
    )

    struct Allocate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read what arrived and the orders as JSON on stdin; print each order's fair share as JSON.",
            discussion: """
            In:  {"arrived": 7, "orders": [{"id": "o1", "quantity": 5, "ordered_at": "2022-04-12T09:30:00+08:00"}, ...]}
            Out: {"allocations": {"o1": 4, ...}} in the orders' order.
            The largest-remainder method (docs/GROUP-BUYING.md), the same function the buys use.
            """
        )

        struct Input: Decodable {
            var arrived: Int
            var orders: [FairShareOrder]
        }

        func run() async throws {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            let input: Input
            do {
                input = try Self.decoder.decode(Input.self, from: data)
            } catch {
                throw CLIError("the input is not an arrival with its orders: \(CareCommand.Pair.describe(error))")
            }
            let shares: [(id: String, units: Int)]
            do {
                shares = try FairShares.allocate(arrived: input.arrived, orders: input.orders)
            } catch {
                throw CLIError(error.description)
            }
            FileHandle.standardOutput.write(Data((try Self.json(shares) + "\n").utf8))
        }

        /// `{"allocations": {...}}` with the orders in the order they came, which a JSON encoder
        /// would not keep.
        static func json(_ shares: [(id: String, units: Int)]) throws -> String {
            let pairs = try shares.map { share in
                let key = String(decoding: try JSONEncoder().encode(share.id), as: UTF8.self)
                return "\(key): \(share.units)"
            }
            return #"{"allocations": {"# + pairs.joined(separator: ", ") + "}}"
        }

        /// ISO 8601 times with an offset, with or without fractional seconds.
        static let decoder: JSONDecoder = {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .custom { decoder in
                let text = try decoder.singleValueContainer().decode(String.self)
                for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
                    let formatter = ISO8601DateFormatter()
                    formatter.formatOptions = options
                    if let date = formatter.date(from: text) { return date }
                }
                throw DecodingError.dataCorruptedError(in: try decoder.singleValueContainer(), debugDescription: "ordered_at \(text) is not a time such as 2022-04-12T09:30:00+08:00")
            }
            return decoder
        }()
    }
}
