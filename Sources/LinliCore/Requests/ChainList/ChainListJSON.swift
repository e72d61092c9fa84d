import Foundation

/// The JSON form of parsed chain-list lines, one object per input line (JSON Lines):
///
///     {"building":"3","items":[{"name":"鸡蛋","quantity":2,"unit":"箱"}],"lane":null,"line":1,
///      "name":"张","note":null,"paid":false,"room":"201","unit":"1"}
///     {"line":2,"reason":"no_room","unmatched":true}
///
/// Written with `Codable` and `JSONEncoder` using `.sortedKeys`, so the same input always gives
/// the same bytes (keys are therefore alphabetical, not in the order of the example).
/// Absent values are written as explicit `null`, never left out, so every entry object has the
/// same nine keys and a script can rely on them.
public enum ChainListJSON {
    public static func encode(_ line: ChainListLine) throws -> String {
        String(decoding: try encoder().encode(line), as: UTF8.self)
    }

    /// One object per line, each ended by "\n".
    public static func encode(_ lines: [ChainListLine]) throws -> String {
        let encoder = encoder()
        return try lines.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined()
    }

    public static func decode(_ json: String) throws -> ChainListLine {
        try JSONDecoder().decode(ChainListLine.self, from: Data(json.utf8))
    }

    /// Reads JSON Lines as written by `encode(_:)`; blank lines are skipped.
    public static func decodeLines(_ text: String) throws -> [ChainListLine] {
        let decoder = JSONDecoder()
        // Only "\n" ends a record: JSON escapes it inside strings, while other line breaks
        // (U+2028) may legally stand unescaped in a string value.
        return try text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .filter { !$0.allSatisfy(\.isWhitespace) }
            .map { try decoder.decode(ChainListLine.self, from: Data($0.utf8)) }
    }

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension ChainListItem: Codable {
    private enum CodingKeys: String, CodingKey { case name, quantity, unit }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decodeIfPresent(String.self, forKey: .name),
            quantity: try container.decode(Int.self, forKey: .quantity),
            unit: try container.decodeIfPresent(String.self, forKey: .unit)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // Explicit nulls: the documented shape has every key on every item.
        try container.encode(name, forKey: .name)
        try container.encode(quantity, forKey: .quantity)
        try container.encode(unit, forKey: .unit)
    }
}

extension ChainListLine: Codable {
    private enum CodingKeys: String, CodingKey {
        case line, building, unit, lane, room, name, items, paid, note, unmatched, reason
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let line = try container.decode(Int.self, forKey: .line)
        if try container.decodeIfPresent(Bool.self, forKey: .unmatched) == true {
            self = .unmatched(ChainListUnmatched(line: line, reason: try container.decode(ChainListReason.self, forKey: .reason)))
            return
        }
        self = .entry(ChainListEntry(
            line: line,
            building: try container.decode(String.self, forKey: .building),
            unit: try container.decodeIfPresent(String.self, forKey: .unit),
            lane: try container.decodeIfPresent(String.self, forKey: .lane),
            room: try container.decode(String.self, forKey: .room),
            name: try container.decodeIfPresent(String.self, forKey: .name),
            items: try container.decode([ChainListItem].self, forKey: .items),
            paid: try container.decode(Bool.self, forKey: .paid),
            note: try container.decodeIfPresent(String.self, forKey: .note)
        ))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .unmatched(let unmatched):
            try container.encode(unmatched.line, forKey: .line)
            try container.encode(true, forKey: .unmatched)
            try container.encode(unmatched.reason, forKey: .reason)
        case .entry(let entry):
            try container.encode(entry.line, forKey: .line)
            try container.encode(entry.building, forKey: .building)
            try container.encode(entry.unit, forKey: .unit)
            try container.encode(entry.lane, forKey: .lane)
            try container.encode(entry.room, forKey: .room)
            try container.encode(entry.name, forKey: .name)
            try container.encode(entry.items, forKey: .items)
            try container.encode(entry.paid, forKey: .paid)
            try container.encode(entry.note, forKey: .note)
        }
    }
}
