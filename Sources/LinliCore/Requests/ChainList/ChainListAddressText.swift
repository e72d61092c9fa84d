/// Rewrites the ways of writing an address that mean the same as a shorter one ("楼号9" for
/// "9号楼", "三号楼二零三" for "3号楼203"), so the address scanner needs one grammar only.
enum ChainListAddressText {
    static func fold(_ text: String) -> String {
        foldNumerals(foldLabels(text))
    }

    // MARK: - Labels

    /// Field labels a list's format asks for ("楼号：9 房号：501") and the word that says the
    /// same after the number. Longest first, so "门牌号" is not read as "门牌".
    private static let labels: [(label: [Character], suffix: String)] = [
        ("楼栋号", "号楼"), ("楼号", "号楼"), ("栋号", "号楼"), ("幢号", "号楼"), ("单元号", "单元"),
        ("门牌号", "室"), ("房间号", "室"), ("室号", "室"), ("房号", "室"), ("门牌", "室"),
    ].map { (Array($0.0), $0.1) }

    /// "楼号9" → "9号楼", "房号：501" → "501室", "室号二零一" → "二零一室". A label without a
    /// number after it ("格式：楼号-室号") stays as written.
    static func foldLabels(_ text: String) -> String {
        let characters = Array(text)
        var result: [Character] = []
        var index = 0
        while index < characters.count {
            guard let (label, suffix) = labels.first(where: { characters[index...].starts(with: $0.label) }) else {
                result.append(characters[index])
                index += 1
                continue
            }
            var numberStart = skipSpaces(characters, from: index + label.count)
            if numberStart < characters.count, characters[numberStart] == ":" {
                numberStart = skipSpaces(characters, from: numberStart + 1)
            }
            // Digits or numerals, not a mix of both.
            let writtenInDigits = numberStart < characters.count && ChainListText.isDigit(characters[numberStart])
            var numberEnd = numberStart
            while numberEnd < characters.count,
                  writtenInDigits ? ChainListText.isDigit(characters[numberEnd]) : ChainListNumerals.isNumeral(characters[numberEnd]) {
                numberEnd += 1
            }
            // Five digits are no building, entrance or door number; the label stays text.
            guard (1...4).contains(numberEnd - numberStart) else {
                result.append(contentsOf: label)
                index += label.count
                continue
            }
            result.append(contentsOf: characters[numberStart..<numberEnd])
            // "楼号9号楼" already says it after the number.
            if characters[numberEnd...].first != suffix.first { result.append(contentsOf: suffix) }
            index = numberEnd
        }
        return String(result)
    }

    // MARK: - Numerals

    /// Words that make the number before them part of an address.
    private static let numberedSuffixes = ["号楼", "栋", "幢", "号", "单元", "弄", "支弄", "座"]

    /// How the part of an address before a room ends ("3号楼", "2单元", "A座", "3-").
    private static let partEndings = ["楼", "栋", "幢", "号", "单元", "座", "#", "-", "/"]

    /// Numerals before a suffix that makes them an address part ("三号楼", "二单元", "第三栋")
    /// become ASCII digits, and so do three or four numerals read digit by digit where a room
    /// stands ("三号楼二零三", "一〇〇二室"). Quantities ("两份") are left alone: their suffixes
    /// are not address suffixes.
    static func foldNumerals(_ text: String) -> String {
        let characters = Array(text)
        var result: [Character] = []
        var index = 0
        while index < characters.count {
            if ChainListNumerals.isNumeral(characters[index]) {
                var end = index
                while end < characters.count, ChainListNumerals.isNumeral(characters[end]) { end += 1 }
                let rest = characters[end...]
                if numberedSuffixes.contains(where: { rest.starts(with: $0) }), let value = ChainListNumerals.value(characters[index..<end]), value > 0 {
                    if result.last == "第" { result.removeLast() }
                    result.append(contentsOf: String(value))
                    index = end
                    continue
                }
                let roomEnd = index + ChainListNumerals.digitRunLength(characters, from: index)
                if (3...4).contains(roomEnd - index), endsAddressPart(result) || characters[roomEnd...].first == "室" {
                    result.append(contentsOf: characters[index..<roomEnd].compactMap(ChainListNumerals.digit))
                    index = roomEnd
                    continue
                }
                result.append(contentsOf: characters[index..<end])
                index = end
                continue
            }
            if characters[index] == "第", index + 1 < characters.count, ChainListText.isDigit(characters[index + 1]) {
                // "第3栋": the ordinal marker is noise once the number is read.
                var end = index + 1
                while end < characters.count, ChainListText.isDigit(characters[end]) { end += 1 }
                let rest = characters[end...]
                if numberedSuffixes.contains(where: { rest.starts(with: $0) }) {
                    index += 1
                    continue
                }
            }
            result.append(characters[index])
            index += 1
        }
        return String(result)
    }

    private static func endsAddressPart(_ text: [Character]) -> Bool {
        let written = String(text.reversed().drop { $0 == " " }.reversed())
        return partEndings.contains(where: written.hasSuffix)
    }

    private static func skipSpaces(_ characters: [Character], from index: Int) -> Int {
        var cursor = index
        while cursor < characters.count, characters[cursor] == " " { cursor += 1 }
        return cursor
    }
}
