import ArgumentParser
import Foundation
import LinliCore

struct RumoursCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rumours",
        abstract: "Rumour reports: how alike two texts are, as the server matches a new report.",
        subcommands: [Compare.self]
    )

    struct Compare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read JSON lines {\"a\": \"...\", \"b\": \"...\"} on stdin; print one line per pair, {\"score\": 0.0 to 1.0, \"decision\": \"same\" | \"suggest\" | \"different\"}.",
            discussion: """
            The same matching the server uses for a new report (docs/INFORMATION.md): identical after
            normalising, the same link, or near by a score; "suggest" from \(RumourMatching.suggestAt),
            "same" from \(RumourMatching.sameAt). A line that is not a pair is answered with
            {"error": "..."} on its own line, so the output keeps one line per input line.
            """
        )

        struct Pair: Decodable {
            var a: String
            var b: String
        }

        func run() async throws {
            let decoder = JSONDecoder()
            var failed = 0
            while let line = readLine(strippingNewline: true) {
                guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                let answer: String
                if let pair = try? decoder.decode(Pair.self, from: Data(line.utf8)) {
                    answer = Self.json(RumourMatching.compare(pair.a, pair.b))
                } else {
                    failed += 1
                    answer = #"{"error": "not a pair of texts: {\"a\": \"...\", \"b\": \"...\"}"}"#
                }
                FileHandle.standardOutput.write(Data((answer + "\n").utf8))
            }
            if failed > 0 { throw ExitCode(1) }
        }

        static func json(_ result: (score: Double, decision: RumourDecision)) -> String {
            #"{"score": \#(String(format: "%.3f", result.score)), "decision": "\#(result.decision.rawValue)"}"#
        }
    }
}
