import Foundation

/// Character-level helpers of the chain-list parser. Chat messages mix full-width and ASCII
/// forms freely (IMEs switch on their own), so everything is folded to one form first.
enum ChainListText {
    /// Folds full-width ASCII, ideographic spaces, dash and multiplication look-alikes and emoji
    /// variation selectors, so later stages compare against one spelling only.
    static func normalize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF01...0xFF5E:
                // Full-width ASCII sits at a fixed offset from ASCII.
                scalars.append(Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar)
            case 0x3000, 0x00A0, 0x0009, 0x2002...0x200A, 0x202F, 0x205F:
                scalars.append(" ")
            case 0x200B...0x200D, 0xFEFF, 0xFE0F, 0xFE0E:
                // Zero-width characters and emoji presentation selectors carry no meaning here
                // but would split "✅" and "3-201" into forms the lexicon does not list.
                continue
            case 0x2010...0x2015, 0x2212, 0xFE63, 0x2E3A, 0x2E3B:
                scalars.append("-")
            case 0x2715, 0x2716, 0x2A2F:
                scalars.append("×")
            case 0x3010, 0x3011, 0x300C, 0x300D, 0x300E, 0x300F:
                // 【】「」『』 bracket remarks; a space keeps the words apart.
                scalars.append(" ")
            default:
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    static func isCJK(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF, 0x3007: return true
        default: return false
        }
    }

    static func isDigit(_ character: Character) -> Bool {
        character.isASCII && character.isNumber
    }

    static func isASCIILetter(_ character: Character) -> Bool {
        character.isASCII && character.isLetter
    }

    static let numeralValues: [Character: Int] = [
        "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
        "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "百": 100,
    ]

    static func isNumeral(_ character: Character) -> Bool { numeralValues[character] != nil }

    /// Value of a Chinese numeral up to 999 ("十二" 12, "二十" 20, "一百零五" 105); nil for
    /// sequences no one writes as a number ("一二"), so they stay text.
    static func numeralValue<S: Collection>(_ characters: S) -> Int? where S.Element == Character {
        guard !characters.isEmpty else { return nil }
        var total = 0
        var pending: Int?
        var lastMultiplier = Int.max
        for character in characters {
            guard let value = numeralValues[character] else { return nil }
            switch value {
            case 10, 100:
                guard value < lastMultiplier else { return nil }
                total += (pending ?? 1) * value
                pending = nil
                lastMultiplier = value
            case 0:
                pending = nil
            default:
                if pending != nil { return nil }
                pending = value
            }
        }
        return total + (pending ?? 0)
    }

    /// Digits written before a suffix that makes them an address part ("三号楼", "二单元",
    /// "第三栋") become ASCII digits, so the address scanner needs one grammar only. Quantities
    /// ("两份") are left alone: their suffixes are not address suffixes.
    static func foldAddressNumerals(_ text: String) -> String {
        let characters = Array(text)
        let suffixes = ["号楼", "栋", "幢", "号", "单元", "弄", "支弄", "座"]
        var result: [Character] = []
        var index = 0
        while index < characters.count {
            if isNumeral(characters[index]) {
                var end = index
                while end < characters.count, isNumeral(characters[end]) { end += 1 }
                let rest = characters[end...]
                if suffixes.contains(where: { rest.starts(with: $0) }), let value = numeralValue(characters[index..<end]), value > 0 {
                    if result.last == "第" { result.removeLast() }
                    result.append(contentsOf: String(value))
                    index = end
                    continue
                }
                result.append(contentsOf: characters[index..<end])
                index = end
                continue
            }
            if characters[index] == "第", index + 1 < characters.count, isDigit(characters[index + 1]) {
                // "第3栋": the ordinal marker is noise once the number is read.
                var end = index + 1
                while end < characters.count, isDigit(characters[end]) { end += 1 }
                let rest = characters[end...]
                if suffixes.contains(where: { rest.starts(with: $0) }) {
                    index += 1
                    continue
                }
            }
            result.append(characters[index])
            index += 1
        }
        return String(result)
    }

    /// Splits a message into lines the way a reader counts them: "\n", "\r\n", "\r" and the
    /// other Unicode line breaks each end a line, and a final line break does not start an
    /// empty extra line (a message read from stdin always ends with one).
    static func lines(of text: String) -> [Substring] {
        guard !text.isEmpty else { return [] }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        if let last = text.last, last.isNewline { lines.removeLast() }
        return lines
    }

    static func trimmed<S: StringProtocol>(_ text: S) -> String {
        text.trimmingCharacters(in: .whitespaces)
    }
}
