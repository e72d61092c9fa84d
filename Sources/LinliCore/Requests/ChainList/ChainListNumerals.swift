/// Chinese numerals on chain-list lines. People write them two ways: as a number ("十二箱",
/// "二十三栋") and, for door numbers, digit by digit the way a room is read aloud ("二零三",
/// "一〇〇二"). Both are read from the one table below.
enum ChainListNumerals {
    static let values: [Character: Int] = [
        "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
        "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "百": 100,
    ]

    static func isNumeral(_ character: Character) -> Bool { values[character] != nil }

    /// Value of a Chinese numeral up to 999 ("十二" 12, "二十" 20, "一百零五" 105); nil for
    /// sequences no one writes as a number ("一二", "二零三"), so they stay text.
    static func value<S: Collection>(_ characters: S) -> Int? where S.Element == Character {
        guard !characters.isEmpty else { return nil }
        var total = 0
        var pending: Int?
        var lastMultiplier = Int.max
        for character in characters {
            guard let value = values[character] else { return nil }
            switch value {
            case 10, 100:
                guard value < lastMultiplier else { return nil }
                total += (pending ?? 1) * value
                pending = nil
                lastMultiplier = value
            case 0:
                // "零" only fills a gap after a multiplier ("一百零五"); after a digit it is
                // digit-by-digit writing ("二零三"), which is not a number's value.
                if pending != nil { return nil }
            default:
                if pending != nil { return nil }
                pending = value
            }
        }
        return total + (pending ?? 0)
    }

    /// A digit written as a numeral when reading a number digit by digit: "两" counts things
    /// and "十" / "百" are multipliers, so none of them is a digit.
    static func digit(_ character: Character) -> Character? {
        guard character != "两", let value = values[character], value < 10 else { return nil }
        return Character(String(value))
    }

    /// How many numerals from `start` read digit by digit.
    static func digitRunLength(_ characters: [Character], from start: Int) -> Int {
        var end = start
        while end < characters.count, digit(characters[end]) != nil { end += 1 }
        return end - start
    }
}
