import Testing
@testable import LinliCore

/// Shorthands so the tables read like the chat lines they test.
enum ChainListFixture {
    static func item(_ name: String?, _ quantity: Int = 1, _ unit: String? = nil) -> ChainListItem {
        ChainListItem(name: name, quantity: quantity, unit: unit)
    }

    static func entry(
        _ building: String, _ room: String, unit: String? = nil, lane: String? = nil, name: String? = nil,
        items: [ChainListItem] = [item(nil)], paid: Bool = false, note: String? = nil, line: Int = 1
    ) -> ChainListEntry {
        ChainListEntry(line: line, building: building, unit: unit, lane: lane, room: room, name: name, items: items, paid: paid, note: note)
    }

    /// Parses `line` as the last line of a chain under `title`, so the title's goods apply.
    static func parseLast(_ line: String, title: String? = nil) -> ChainListLine? {
        let message = [title, line].compactMap { $0 }.joined(separator: "\n")
        return ChainListParser.parse(message).last
    }
}

/// One row of a table: a chat line and what it must become.
struct ChainListCase: Sendable, CustomTestStringConvertible {
    let input: String
    let title: String?
    let expected: Expected

    enum Expected: Sendable {
        case entry(ChainListEntry)
        case unmatched(ChainListReason)
    }

    init(_ input: String, _ expected: ChainListEntry, title: String? = nil) {
        self.input = input
        self.title = title
        self.expected = .entry(expected)
    }

    init(_ input: String, _ reason: ChainListReason, title: String? = nil) {
        self.input = input
        self.title = title
        self.expected = .unmatched(reason)
    }

    var testDescription: String { input }
}

