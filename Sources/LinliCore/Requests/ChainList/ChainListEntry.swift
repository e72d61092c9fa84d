import Foundation

/// One thing a neighbour signed up for on a chain-list line ("鸡蛋2箱", "×3", "两份").
public struct ChainListItem: Sendable, Hashable {
    /// What was ordered; the chain's own item (from the title) when the line only gives a
    /// quantity, nil when neither the line nor the title names it.
    public var name: String?
    public var quantity: Int
    /// The measure word as typed ("箱", "盒", "斤"), nil for "×3" or a bare number.
    public var unit: String?

    public init(name: String?, quantity: Int, unit: String?) {
        self.name = name
        self.quantity = quantity
        self.unit = unit
    }
}

/// Everything a household is identified by on a chain-list line. The store matches this against
/// its households; the parser never guesses a household itself, because only the store knows
/// which buildings exist in the scope of the person pasting.
public struct ChainListHouseholdKey: Sendable, Hashable {
    public var lane: String?
    public var building: String
    public var unit: String?
    public var room: String

    public init(lane: String?, building: String, unit: String?, room: String) {
        self.lane = lane
        self.building = building
        self.unit = unit
        self.room = room
    }
}

/// A chain-list line that names a household. `line` is 1-based and counts every input line,
/// blank ones included, so a person can find it in the pasted message.
public struct ChainListEntry: Sendable, Hashable {
    public var line: Int
    public var building: String
    public var unit: String?
    public var lane: String?
    public var room: String
    /// Name or surname as written ("张", "李阿姨", "王老师"); nil when the line gives none.
    public var name: String?
    /// Never empty: a line with an address but no quantity counts as one of the chain's item.
    public var items: [ChainListItem]
    public var paid: Bool
    /// Whatever the parser could not place ("阴性", "放门口"), so nothing typed is lost.
    public var note: String?

    public init(
        line: Int, building: String, unit: String? = nil, lane: String? = nil, room: String,
        name: String? = nil, items: [ChainListItem], paid: Bool = false, note: String? = nil
    ) {
        self.line = line
        self.building = building
        self.unit = unit
        self.lane = lane
        self.room = room
        self.name = name
        self.items = items
        self.paid = paid
        self.note = note
    }

    public var householdKey: ChainListHouseholdKey {
        ChainListHouseholdKey(lane: lane, building: building, unit: unit, room: room)
    }
}

/// Why a line is not an entry. Raw values are the `reason` codes of the JSON output and the
/// suffix of the catalogue keys `chain_list.reason.<code>`.
public enum ChainListReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// Empty or whitespace only.
    case blank
    /// The chain's heading: a "#接龙" line, or prose before the first numbered line.
    case title
    /// The organiser's format example ("例 1号楼-101 张 2箱").
    case example
    /// A sequence number with nothing after it ("4."), left by someone who stopped typing.
    case emptyEntry = "empty_entry"
    /// Neither a building nor a room: a comment, a deadline, a name without an address.
    case noAddress = "no_address"
    /// A room number but no building ("201 张 2盒").
    case noBuilding = "no_building"
    /// A building but no room ("3号楼 张 2盒").
    case noRoom = "no_room"
    /// More than one household on one line ("3-201 3-202 张"): a person must split it.
    case ambiguous

    public var catalogueKey: String { "chain_list.reason.\(rawValue)" }
}

/// A line that is not an entry, kept so that nothing pasted is dropped silently.
public struct ChainListUnmatched: Sendable, Hashable {
    public var line: Int
    public var reason: ChainListReason

    public init(line: Int, reason: ChainListReason) {
        self.line = line
        self.reason = reason
    }
}

/// What became of one input line: exactly one of these per line, in input order.
public enum ChainListLine: Sendable, Hashable {
    case entry(ChainListEntry)
    case unmatched(ChainListUnmatched)

    public var line: Int {
        switch self {
        case .entry(let entry): entry.line
        case .unmatched(let unmatched): unmatched.line
        }
    }

    public var entry: ChainListEntry? {
        if case .entry(let entry) = self { return entry }
        return nil
    }

    public var reason: ChainListReason? {
        if case .unmatched(let unmatched) = self { return unmatched.reason }
        return nil
    }
}
