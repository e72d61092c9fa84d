import Foundation

/// Turns a pasted chat-group chain message (接龙) into one result per input line.
///
/// Every input line yields exactly one `ChainListLine`, in order, numbered from 1: an entry when
/// the line names a building and a room, otherwise an unmatched record with a reason, so a
/// person can fix it and nothing is dropped silently. Matching entries to households is the
/// store's job (`ChainListEntry.householdKey`).
public enum ChainListParser {
    public static func parse(_ text: String) -> [ChainListLine] {
        var context = Context()
        return lines(of: text).enumerated().map { offset, line in
            parseLine(String(line), number: offset + 1, context: &context)
        }
    }

    /// The lines `parse` numbers: split at every line break ("\n", "\r\n", "\r", U+2028 …),
    /// where a final line break does not start an extra empty line. Line N of the result is
    /// element N-1 here, so a caller can show the text of an unmatched line.
    public static func lines(of text: String) -> [Substring] {
        ChainListText.lines(of: text)
    }

    /// What earlier lines tell about later ones.
    struct Context {
        /// The goods the chain is about, from its title ("团购鸡蛋" → "鸡蛋").
        var item: String?
        /// The measure the title prices by ("每箱30枚" → "箱").
        var unit: String?
        /// Prose stops being title once the list has started.
        var listStarted = false
    }

    static func parseLine(_ raw: String, number: Int, context: inout Context) -> ChainListLine {
        func unmatched(_ reason: ChainListReason) -> ChainListLine {
            .unmatched(ChainListUnmatched(line: number, reason: reason))
        }
        let normalized = ChainListText.trimmed(ChainListText.normalize(raw))
        if normalized.isEmpty { return unmatched(.blank) }
        let (numbered, rawBody) = stripSequenceNumber(normalized)
        let body = ChainListText.trimmed(rawBody)
        if numbered { context.listStarted = true }
        if body.isEmpty { return unmatched(numbered ? .emptyEntry : .blank) }
        // An example is checked first so that its made-up goods never become the chain's.
        if isExample(body) { return unmatched(.example) }
        if !numbered, body.hasPrefix("#") || body.contains("接龙") {
            readTitle(body, explicit: true, context: &context)
            return unmatched(.title)
        }

        let folded = ChainListAddressText.fold(body)
        let scanner = ChainListAddressScanner(folded)
        guard var address = scanner.firstBuildingAddress() else {
            if scanner.standaloneRoom() != nil { return unmatched(.noBuilding) }
            if !numbered, !context.listStarted {
                readTitle(body, explicit: false, context: &context)
                return unmatched(.title)
            }
            return unmatched(.noAddress)
        }
        // A line with a building is a sign-up attempt: prose after it is no longer heading.
        context.listStarted = true
        var cut = [address.range]
        if address.room == nil {
            // "3号楼 张 201室": the room was written apart from its building.
            guard let room = scanner.standaloneRoom(excluding: cut, requireSeparateWord: true), let label = room.room else {
                return unmatched(.noRoom)
            }
            address.room = label
            cut.append(room.range)
        }
        // A second room marked "室" ("3号楼101室 102室") is a second household too.
        let secondRoom = scanner.standaloneRoom(excluding: cut, requireSeparateWord: true).map { $0.range.count > ($0.room?.count ?? 0) } ?? false
        if secondRoom || scanner.firstBuildingAddress(excluding: cut)?.room != nil {
            return unmatched(.ambiguous)
        }
        guard let building = address.building, let room = address.room else { return unmatched(.noRoom) }

        var rest = Array(folded)
        for range in cut.sorted(by: { $0.lowerBound > $1.lowerBound }) {
            rest.replaceSubrange(range, with: [" "])
        }
        var remainder = String(rest)
        var paid = false
        for marker in ChainListLexicon.paidMarkers where remainder.contains(marker) {
            paid = true
            remainder = remainder.replacingOccurrences(of: marker, with: " ")
        }
        let details = details(of: ChainListItemReader.pieces(of: remainder), context: context)
        return .entry(ChainListEntry(
            line: number, building: building, unit: address.unit, lane: address.lane, room: room,
            name: details.name, items: details.items, paid: paid, note: details.note
        ))
    }

    // MARK: - Line shapes

    /// "1.", "2、", "3)", "(4)", "5:", circled numbers, and "12 " before a whole address. A
    /// number followed by "-" or a building word is an address, not a sequence number.
    static func stripSequenceNumber(_ line: String) -> (Bool, Substring) {
        let characters = Array(line)
        if let first = characters.first, let circled = first.unicodeScalars.first?.value, (0x2460...0x2473).contains(circled) {
            return (true, line.dropFirst())
        }
        var index = 0
        var bracketed = false
        if characters.first == "(" {
            bracketed = true
            index = 1
        }
        let start = index
        while index < characters.count, ChainListText.isDigit(characters[index]) { index += 1 }
        guard index > start, index - start <= 4, index < characters.count else { return (false, Substring(line)) }
        let mark = characters[index]
        if mark == " ", !bracketed {
            // Without a mark only a whole address after the number shows it is a list number:
            // "3 201" may be building and room, "3-201" alone is an address.
            let rest = line.dropFirst(index).drop { $0 == " " }
            let isListNumber = index - start <= 3 && ChainListAddressScanner(ChainListAddressText.fold(String(rest))).leadingHousehold() != nil
            return isListNumber ? (true, rest) : (false, Substring(line))
        }
        if bracketed {
            guard mark == ")" else { return (false, Substring(line)) }
        } else {
            guard [".", "、", ")", ":", ",", "，"].contains(mark) else { return (false, Substring(line)) }
            // "3.5斤" is a decimal, not item 3.
            if mark == ".", index + 1 < characters.count, ChainListText.isDigit(characters[index + 1]),
               ChainListLexicon.startsWithUnit(characters[(index + 1)...].drop(while: ChainListText.isDigit)) != nil {
                return (false, Substring(line))
            }
        }
        return (true, line.dropFirst(index + 1))
    }

    static func isExample(_ body: String) -> Bool {
        ChainListLexicon.examplePrefixes.contains { prefix in
            // Compared by scalars: a stray combining mark after "例" makes a different
            // Character but is still the organiser's example.
            guard body.unicodeScalars.starts(with: prefix.unicodeScalars) else { return false }
            // "eg" must stand alone, not start a word like "egg".
            let next = body.unicodeScalars.dropFirst(prefix.unicodeScalars.count).first
            return !(prefix.allSatisfy(\.isASCII) && next.map { $0.isASCII && Character($0).isLetter } == true)
        }
    }

    // MARK: - Title

    /// Learns the chain's goods and measure from a title line. `explicit` is true for "#接龙"
    /// lines, where the first product-like word is taken; other heading prose only yields goods
    /// after a purchase verb ("团购鸡蛋"), because it is as often a rule or a deadline.
    static func readTitle(_ body: String, explicit: Bool, context: inout Context) {
        // "接龙" names the message format, not the goods.
        let text = ChainListAddressText.fold(body).replacingOccurrences(of: "接龙", with: " ")
        if context.unit == nil { context.unit = titleUnit(text) }
        guard context.item == nil || explicit else { return }
        let words = titleWords(text)
        for word in words {
            // Only the longest verb counts: "团购" must not be read as "团" followed by goods "购".
            guard let verb = ChainListLexicon.purchaseVerbs.first(where: word.contains),
                  let found = word.range(of: verb, options: .backwards) else { continue }
            if let goods = titleGoods(String(word[found.upperBound...])) {
                context.item = goods
                return
            }
        }
        // Without a purchase verb only the first word may name the goods ("#接龙 蔬菜包
        // 68元/份"); later words are rules and times ("今晚9点前") more often than goods.
        guard explicit, let first = words.first, first.count >= 2, let goods = titleGoods(first) else { return }
        context.item = goods
    }

    /// "每箱30枚" → 箱, "45元/箱" → 箱, "68元一份" → 份.
    private static func titleUnit(_ text: String) -> String? {
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            var after: Int?
            if character == "每" || character == "/" {
                after = index + 1
            } else if character == "元" {
                after = index + 1 < characters.count && characters[index + 1] == "一" ? index + 2 : index + 1
            }
            if let after, after < characters.count, let unit = ChainListLexicon.startsWithUnit(characters[after...]), !unit.allSatisfy(\.isASCII) {
                return unit
            }
        }
        return nil
    }

    /// Runs of Chinese characters in a title, with addresses, prices and dates dropped.
    private static func titleWords(_ text: String) -> [String] {
        let characters = Array(text)
        var words: [String] = []
        var current: [Character] = []
        var index = 0
        func flush() {
            if !current.isEmpty { words.append(String(current)) }
            current = []
        }
        while index < characters.count {
            let character = characters[index]
            if ChainListText.isDigit(character) {
                // A number and the word it counts ("3号楼", "30枚", "45元", "4月12日") are not goods.
                flush()
                while index < characters.count, ChainListText.isDigit(characters[index]) { index += 1 }
                for suffix in ["号楼", "栋", "幢", "号", "元", "月", "日", "点", "枚", "人", "户", "楼"] + ChainListLexicon.units
                    where characters[index...].starts(with: suffix) {
                    index += suffix.count
                    break
                }
                continue
            }
            if character == "每" {
                // "每箱", "每人限2份": a pricing rule.
                flush()
                index += 1
                while index < characters.count, !ChainListItemReader.separators.contains(characters[index]) { index += 1 }
                continue
            }
            if character == "(" {
                // A bracketed aside in a title is a remark, never the goods.
                flush()
                while index < characters.count, characters[index] != ")" { index += 1 }
                index += 1
                continue
            }
            if ChainListText.isCJK(character) { current.append(character) } else { flush() }
            index += 1
        }
        flush()
        return words
    }

    private static func titleGoods(_ word: String) -> String? {
        var text = word
        if text.hasPrefix("的") { text.removeFirst() }
        for suffix in ["接龙", "登记", "统计", "报名", "需求", "预订"] where text.hasSuffix(suffix) {
            text.removeLast(suffix.count)
        }
        guard (1...8).contains(text.count), text.allSatisfy(ChainListText.isCJK) else { return nil }
        if ChainListLexicon.nonItemTitleWords.contains(where: { text.contains($0) }) { return nil }
        if ChainListLexicon.purchaseVerbs.contains(text) { return nil }
        return text
    }

    // MARK: - Name, items, note

    struct Details {
        var name: String?
        var items: [ChainListItem]
        var note: String?
    }

    static func details(of pieces: [ChainListPiece], context: Context) -> Details {
        var pieces = pieces
        var name: String?

        // A person glued to a quantity ("张2盒", "李阿姨鸡蛋×3") was read as goods; take the
        // person back out before looking for a name elsewhere.
        for (index, piece) in pieces.enumerated() {
            guard name == nil, case .item(var item, _) = piece, let goods = item.name else { continue }
            if let (person, rest) = ChainListNames.splitPerson(goods) {
                name = person
                item.name = rest
                pieces[index] = .item(item, named: rest != nil)
            }
        }
        var used = Set<Int>()
        if name == nil, let index = pieces.indices.first(where: { pieces[$0].text.map(ChainListNames.isName) == true }) {
            name = pieces[index].text
            used.insert(index)
        }

        var items: [ChainListItem] = []
        for (index, piece) in pieces.enumerated() {
            guard case .item(var item, let named) = piece else { continue }
            if !named, index > 0, !used.contains(index - 1), let goods = pieces[index - 1].text, isGoods(goods) {
                // "黄瓜 2斤": the goods stand just before their quantity.
                item.name = goods
                used.insert(index - 1)
            }
            items.append(item)
        }
        if items.isEmpty { items = [ChainListItem(name: nil, quantity: 1, unit: nil)] }
        items = items.map { item in
            var item = item
            if item.name == nil { item.name = context.item }
            if item.unit == nil, item.name == context.item { item.unit = context.unit }
            return item
        }

        let leftovers = pieces.indices.compactMap { index -> String? in
            guard !used.contains(index), let text = pieces[index].text else { return nil }
            let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: "-/#.*·"))
            return trimmed.isEmpty ? nil : trimmed
        }
        return Details(name: name, items: items, note: leftovers.isEmpty ? nil : leftovers.joined(separator: " "))
    }

    private static func isGoods(_ text: String) -> Bool {
        !ChainListLexicon.noteWords.contains(text) && text.contains(where: ChainListText.isCJK) && !text.contains(where: ChainListText.isDigit)
            && !ChainListLexicon.paidMarkers.contains(text)
    }
}

extension ChainListPiece {
    var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }
}
