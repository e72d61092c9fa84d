import ArgumentParser
import Foundation
import LinliCore

struct ChainListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain-list",
        abstract: "Work with chat-group chain lists (接龙).",
        subcommands: [Parse.self]
    )

    struct Parse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a chain message on stdin; print one JSON object per input line (JSON Lines).",
            discussion: """
            Every input line gives exactly one object, in order: an entry
            {"building","unit","lane","room","name","items","paid","note","line"} or
            {"line","unmatched":true,"reason"}. Keys are sorted; absent values are null.
            """
        )

        func run() async throws {
            let input = FileHandle.standardInput.readDataToEndOfFile()
            // Chat exports are UTF-8; a stray invalid byte becomes U+FFFD rather than failing
            // the whole message, and its line is still reported.
            let text = String(decoding: input, as: UTF8.self)
            let output = try ChainListJSON.encode(ChainListParser.parse(text))
            FileHandle.standardOutput.write(Data(output.utf8))
        }
    }
}
