/// The household address written on a chain-list line, and where on the line it was found.
struct ChainListAddress: Equatable {
    var lane: String?
    var building: String?
    var unit: String?
    var room: String?
    /// Character offsets into the scanned line, so the rest of the line can be read without it.
    var range: Range<Int>
}

/// Finds household addresses in a normalised line. Hand-written rather than a regular
/// expression because the forms overlap ("3号" is a building only when a room follows, "2-"
/// is a unit only in the middle) and the decision needs look-ahead with word lists.
struct ChainListAddressScanner {
    let characters: [Character]

    init(_ text: String) {
        characters = Array(text)
    }

    /// The first address on the line that names a building (with or without a room).
    func firstBuildingAddress(excluding excluded: [Range<Int>] = []) -> ChainListAddress? {
        var index = 0
        while index < characters.count {
            if let range = excluded.first(where: { $0.contains(index) }) {
                index = range.upperBound
                continue
            }
            if isWordStart(index), let address = address(at: index), address.building != nil,
               !excluded.contains(where: { $0.overlaps(address.range) }) {
                return address
            }
            index += 1
        }
        return nil
    }

    /// The address the line starts with, if it names a building and a room: what tells
    /// "12 3-201" (list number 12) from a line that is only an address.
    func leadingHousehold() -> ChainListAddress? {
        guard let address = address(at: 0), address.building != nil, address.room != nil else { return nil }
        return address
    }

    /// A 3–4 digit number standing on its own: a room written without (or apart from) its
    /// building. A quantity ("100斤", "×120") or part of a longer number is not a room.
    func standaloneRoom(excluding excluded: [Range<Int>] = [], requireSeparateWord: Bool = false) -> ChainListAddress? {
        var index = 0
        while index < characters.count {
            if excluded.contains(where: { $0.contains(index) }) {
                index += 1
                continue
            }
            guard isDigit(index), index == 0 || !isDigit(index - 1) else {
                index += 1
                continue
            }
            let end = digitEnd(index)
            defer { index = end }
            guard (3...4).contains(end - index), !followsQuantityMarker(index) else { continue }
            let next = characters[end...]
            if next.first == "." || next.first.map(Self.dashes.contains) == true { continue }
            if next.first == "室" {
                return ChainListAddress(room: String(characters[index..<end]), range: index..<(end + 1))
            }
            if Self.isQuantityUnit(next) || (next.first.map(ChainListText.isCJK) == true && requireSeparateWord) {
                continue
            }
            if requireSeparateWord, index > 0, !isSeparator(index - 1) { continue }
            return ChainListAddress(room: String(characters[index..<end]), range: index..<end)
        }
        return nil
    }

    // MARK: - Grammar

    private func address(at start: Int) -> ChainListAddress? {
        var position = start
        var lane: String?
        if isDigit(position) {
            let end = digitEnd(position)
            if end - position <= 4, literal("弄", at: end) {
                lane = String(characters[position..<end])
                position = skipSpaces(end + 1)
            }
        }
        if let (building, after) = buildingWord(at: position, laneGiven: lane != nil) {
            var result = ChainListAddress(lane: lane, building: building, range: start..<after)
            var cursor = skipSeparators(after)
            if let (unit, afterUnit) = unitPart(at: cursor) {
                result.unit = unit
                result.range = start..<afterUnit
                cursor = skipSeparators(afterUnit)
            }
            if let (room, afterRoom) = roomPart(at: cursor) {
                result.room = room
                result.range = start..<afterRoom
            }
            return result
        }
        return dashAddress(at: position, lane: lane, start: start)
    }

    /// "3号楼", "3栋", "3幢", "3#", "A座", "5支弄" / "5号" after a lane, "3号" before a room.
    private func buildingWord(at position: Int, laneGiven: Bool) -> (String, Int)? {
        guard position < characters.count else { return nil }
        var label: String
        var cursor: Int
        if isDigit(position) {
            let end = digitEnd(position)
            guard end - position <= 4 else { return nil }
            label = canonicalNumber(characters[position..<end])
            cursor = end
        } else if ChainListText.isASCIILetter(characters[position]), position + 1 < characters.count,
                  position == 0 || !ChainListText.isASCIILetter(characters[position - 1]) {
            label = String(characters[position]).uppercased()
            cursor = position + 1
            // A letter is a building only with an explicit building word ("A座", "B栋").
            let suffixStart = skipSpaces(cursor)
            guard ["座", "栋", "幢", "号楼"].contains(where: { literal($0, at: suffixStart) }) else { return nil }
        } else {
            return nil
        }
        cursor = skipSpaces(cursor)
        for suffix in ["号楼", "栋", "幢", "座", "#"] {
            // "9号 楼": a stray space inside the word.
            guard var after = spacedLiteral(suffix, at: cursor) else { continue }
            if suffix != "号楼", literal("楼", at: after) { after += 1 }
            return (label, after)
        }
        if laneGiven, literal("支弄", at: cursor) { return (label, cursor + 2) }
        if literal("号", at: cursor) {
            let after = cursor + 1
            // Without a lane, "3号" is a building only when a room follows, maybe after its
            // entrance ("18号1单元502"); otherwise it is as likely a date ("4月3号") or an order number.
            if laneGiven || roomPart(at: skipSeparators(after)) != nil { return (label, after) }
            if let (_, afterUnit) = unitPart(at: skipSeparators(after)), roomPart(at: skipSeparators(afterUnit)) != nil {
                return (label, after)
            }
        }
        return nil
    }

    /// "2单元" or the middle "2-" of "2-501".
    private func unitPart(at position: Int) -> (String, Int)? {
        guard isDigit(position) else { return nil }
        let end = digitEnd(position)
        guard end - position <= 2 else { return nil }
        let label = canonicalNumber(characters[position..<end])
        let after = skipSpaces(end)
        if literal("单元", at: after) { return (label, after + 2) }
        if isDash(end), roomPart(at: end + 1) != nil { return (label, end + 1) }
        return nil
    }

    /// "201", "1102", "201室", "502号": three or four digits that are not a quantity.
    private func roomPart(at position: Int) -> (String, Int)? {
        guard isDigit(position), position == 0 || !isDigit(position - 1) else { return nil }
        let end = digitEnd(position)
        guard (3...4).contains(end - position) else { return nil }
        let rest = characters[end...]
        if rest.first == "." || rest.first.map(Self.dashes.contains) == true { return nil }
        let room = String(characters[position..<end])
        if literal("室", at: end) || (literal("号", at: end) && !literal("号楼", at: end)) { return (room, end + 1) }
        if Self.isQuantityUnit(rest) { return nil }
        return (room, end)
    }

    /// "3-201" (building-room) and "3-1-201" (building-unit-room), optionally after a lane; a
    /// slash ("8/701") or a dash with spaces around it ("3 - 201") reads the same.
    private func dashAddress(at position: Int, lane: String?, start: Int) -> ChainListAddress? {
        guard isDigit(position) else { return nil }
        let firstEnd = digitEnd(position)
        let firstDash = skipSpaces(firstEnd)
        guard firstEnd - position <= 3, isDash(firstDash) else { return nil }
        let building = canonicalNumber(characters[position..<firstEnd])
        let second = skipSpaces(firstDash + 1)
        let spaced = second - firstEnd > 1
        if let (room, after) = roomPart(at: second) {
            // "138 - 1234 - 5678" is a phone number: its spaced dashes run on past the "room".
            let next = skipSpaces(after)
            if spaced, isDash(next), isDigit(skipSpaces(next + 1)) { return nil }
            return ChainListAddress(lane: lane, building: building, room: room, range: start..<after)
        }
        guard isDigit(second) else { return nil }
        let secondEnd = digitEnd(second)
        let secondDash = skipSpaces(secondEnd)
        guard secondEnd - second <= 2, isDash(secondDash), let (room, after) = roomPart(at: skipSpaces(secondDash + 1)) else { return nil }
        let unit = canonicalNumber(characters[second..<secondEnd])
        return ChainListAddress(lane: lane, building: building, unit: unit, room: room, range: start..<after)
    }

    // MARK: - Character helpers

    /// "100斤" is a quantity, not room 100; but "310张" is room 310 of Mr Zhang, because "张"
    /// is the commonest surname as well as a measure word.
    private static func isQuantityUnit(_ rest: ArraySlice<Character>) -> Bool {
        guard let unit = ChainListLexicon.startsWithUnit(rest) else { return false }
        return !(unit.count == 1 && unit.first.map(ChainListLexicon.surnames.contains) == true)
    }

    /// People separate building, entrance and room with a dash or a slash ("3-201", "8/701").
    private static let dashes: Set<Character> = ["-", "/"]

    private func isDash(_ index: Int) -> Bool {
        index >= 0 && index < characters.count && Self.dashes.contains(characters[index])
    }

    private func isDigit(_ index: Int) -> Bool {
        index >= 0 && index < characters.count && ChainListText.isDigit(characters[index])
    }

    private func digitEnd(_ index: Int) -> Int {
        var end = index
        while end < characters.count, ChainListText.isDigit(characters[end]) { end += 1 }
        return end
    }

    private func literal(_ word: String, at index: Int) -> Bool {
        index >= 0 && index <= characters.count && characters[index...].starts(with: word)
    }

    /// The end of `word` at `index` when it is written with or without spaces between its
    /// characters ("号楼", "号 楼"), nil when it is not there.
    private func spacedLiteral(_ word: String, at index: Int) -> Int? {
        var cursor = index
        for (offset, character) in word.enumerated() {
            if offset > 0 { cursor = skipSpaces(cursor) }
            guard cursor < characters.count, characters[cursor] == character else { return nil }
            cursor += 1
        }
        return cursor
    }

    private func skipSpaces(_ index: Int) -> Int {
        var cursor = index
        while cursor < characters.count, characters[cursor] == " " { cursor += 1 }
        return cursor
    }

    /// Between building, unit and room people type spaces, dashes, slashes or nothing.
    private func skipSeparators(_ index: Int) -> Int {
        let cursor = skipSpaces(index)
        return isDash(cursor) ? skipSpaces(cursor + 1) : cursor
    }

    private func isSeparator(_ index: Int) -> Bool {
        guard index >= 0, index < characters.count else { return true }
        return ChainListItemReader.separators.contains(characters[index])
    }

    /// An address starts a word: not in the middle of a number or of a Latin word.
    private func isWordStart(_ index: Int) -> Bool {
        guard index > 0 else { return true }
        let previous = characters[index - 1]
        // "3-101-102" read from its second number would invent building 101.
        if Self.dashes.contains(previous), index >= 2, ChainListText.isDigit(characters[index - 2]) { return false }
        return !ChainListText.isDigit(previous) && !(ChainListText.isASCIILetter(previous) && ChainListText.isASCIILetter(characters[index]))
    }

    /// "×300" and "*120" are quantities however many digits they have.
    private func followsQuantityMarker(_ index: Int) -> Bool {
        var cursor = index - 1
        while cursor >= 0, characters[cursor] == " " { cursor -= 1 }
        guard cursor >= 0 else { return false }
        return ChainListItemReader.multiplicationMarks.contains(characters[cursor])
    }

    /// "03栋" and "3栋" are the same building.
    private func canonicalNumber(_ digits: ArraySlice<Character>) -> String {
        let trimmed = digits.drop { $0 == "0" }
        return trimmed.isEmpty ? "0" : String(trimmed)
    }
}
