/// A stretch of a chain-list line after the address: either text (a name, goods, a remark) or
/// the items a quantity made out of it. Order is kept, because "黄瓜 2斤" means the goods come
/// right before their quantity.
enum ChainListPiece: Equatable {
    case text(String)
    /// `named` is false when the quantity stood alone ("2盒"), so the goods may be the text just
    /// before it or the chain's own item.
    case item(ChainListItem, named: Bool)
}

/// Reads quantities and goods from what is left of a line once the address is cut out.
enum ChainListItemReader {
    static let separators: Set<Character> = [" ", ",", "，", "、", ";", "；", "(", ")", ":", "：", "。", "!", "！", "~", "～", "|", "\"", "“", "”", "'"]

    /// "+1" is chat for "one for me too", so it counts like "×1".
    static let multiplicationMarks: Set<Character> = ["×", "*", "x", "X", "+"]

    static func pieces(of text: String) -> [ChainListPiece] {
        var pieces: [ChainListPiece] = []
        var segment: [Character] = []
        for character in text {
            if separators.contains(character) {
                pieces += read(segment: segment)
                segment = []
            } else {
                segment.append(character)
            }
        }
        pieces += read(segment: segment)
        return pieces
    }

    /// One space-free run, which may hold several items ("鸡蛋2箱牛奶1箱") between texts.
    private static func read(segment: [Character]) -> [ChainListPiece] {
        var pieces: [ChainListPiece] = []
        var pending: [Character] = []
        var index = 0
        func flushText() {
            let text = String(pending)
            if !text.isEmpty { pieces.append(.text(text)) }
            pending = []
        }
        while index < segment.count {
            guard let quantity = quantity(in: segment, at: index) else {
                pending.append(segment[index])
                index += 1
                continue
            }
            var name = goodsName(pending)
            var end = quantity.end
            if name == nil, quantity.unit != nil {
                // "2箱鸡蛋": the goods follow the quantity, up to the next quantity.
                var cursor = end
                var following: [Character] = []
                while cursor < segment.count, self.quantity(in: segment, at: cursor) == nil, ChainListText.isCJK(segment[cursor]) {
                    following.append(segment[cursor])
                    cursor += 1
                }
                if let goods = goodsName(following), !ChainListLexicon.noteWords.contains(goods) {
                    name = goods
                    end = cursor
                }
            }
            if name == nil {
                // "共3箱": a filler alone names nothing and is not worth a note either.
                if ChainListLexicon.quantityFillers.contains(String(pending)) { pending = [] }
                flushText()
            } else {
                pending = []
            }
            pieces.append(.item(ChainListItem(name: name, quantity: quantity.value, unit: quantity.unit), named: name != nil))
            index = end
        }
        flushText()
        return pieces
    }

    /// The goods named before a quantity, without fillers like "共" or "各"; nil when nothing is
    /// left, when it is not written in Chinese characters, or when it is a remark.
    private static func goodsName(_ characters: [Character]) -> String? {
        var text = Substring(String(characters))
        var stripped = true
        while stripped {
            stripped = false
            for filler in ChainListLexicon.quantityFillers where text.hasSuffix(filler) && text.count > filler.count {
                text = text.dropLast(filler.count)
                stripped = true
            }
            for filler in ChainListLexicon.quantityFillers where text.hasPrefix(filler) {
                text = text.dropFirst(filler.count)
                stripped = true
            }
        }
        guard !text.isEmpty, text.allSatisfy({ ChainListText.isCJK($0) || ChainListText.isASCIILetter($0) || $0 == "-" }),
              text.contains(where: ChainListText.isCJK), !ChainListLexicon.noteWords.contains(String(text)),
              !ChainListLexicon.quantityFillers.contains(String(text)) else { return nil }
        return String(text)
    }

    struct Quantity: Equatable {
        var value: Int
        var unit: String?
        var end: Int
    }

    /// A quantity starting at `index`: "2盒", "×3", "x3", "*3", "两份", "一箱", "3斤", or a bare
    /// number closing its word ("鸡蛋2", "2"). Digits inside a longer number, a decimal or a
    /// Latin word ("N95") are not quantities.
    static func quantity(in segment: [Character], at index: Int) -> Quantity? {
        var cursor = index
        var marked = false
        let character = segment[cursor]
        if multiplicationMarks.contains(character) {
            if character == "x" || character == "X", cursor > 0, ChainListText.isASCIILetter(segment[cursor - 1]) { return nil }
            cursor += 1
            guard cursor < segment.count, ChainListText.isDigit(segment[cursor]) || ChainListNumerals.isNumeral(segment[cursor]) else { return nil }
            marked = true
        }
        let start = cursor
        if ChainListText.isDigit(segment[start]) {
            if !marked, start > 0 {
                let previous = segment[start - 1]
                if ChainListText.isDigit(previous) || ChainListText.isASCIILetter(previous) || previous == "." || previous == "-" { return nil }
            }
            while cursor < segment.count, ChainListText.isDigit(segment[cursor]) { cursor += 1 }
            guard cursor - start <= 4, let value = Int(String(segment[start..<cursor])) else { return nil }
            if cursor < segment.count, segment[cursor] == ".", cursor + 1 < segment.count, ChainListText.isDigit(segment[cursor + 1]) { return nil }
            if cursor < segment.count, segment[cursor] == "-" { return nil }
            if let unit = ChainListLexicon.startsWithUnit(segment[cursor...]), !continuesLatinWord(unit, segment, cursor) {
                return Quantity(value: value, unit: unit, end: cursor + unit.count)
            }
            if marked || cursor == segment.count { return Quantity(value: value, unit: nil, end: cursor) }
            return nil
        }
        guard ChainListNumerals.isNumeral(segment[start]) else { return nil }
        if !marked, start > 0, ChainListNumerals.isNumeral(segment[start - 1]) { return nil }
        while cursor < segment.count, ChainListNumerals.isNumeral(segment[cursor]) { cursor += 1 }
        guard let value = ChainListNumerals.value(segment[start..<cursor]) else { return nil }
        if let unit = ChainListLexicon.startsWithUnit(segment[cursor...]), !continuesLatinWord(unit, segment, cursor) {
            return Quantity(value: value, unit: unit, end: cursor + unit.count)
        }
        return marked ? Quantity(value: value, unit: nil, end: cursor) : nil
    }

    /// "3g" is three grams but "3gb" is not a unit.
    private static func continuesLatinWord(_ unit: String, _ segment: [Character], _ cursor: Int) -> Bool {
        guard unit.allSatisfy(\.isASCII) else { return false }
        let after = cursor + unit.count
        return after < segment.count && ChainListText.isASCIILetter(segment[after])
    }
}
