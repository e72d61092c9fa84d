import Foundation

/// How one register cell is read. Each function gets a non-empty trimmed cell and returns the
/// stored form, or nil when the cell cannot mean a valid value (the parser reports that).
public enum RegisterValue {
    /// Trims ordinary and full-width spaces, and the zero-width characters pasted in from chats.
    static func trimmed(_ cell: String) -> String {
        // Control characters (NUL from a broken export, `_x0000_` escapes) are never meant, and
        // PostgreSQL refuses NUL: they are dropped rather than failing the whole import.
        let printable = cell.unicodeScalars.contains(where: isStrayControl)
            ? String(String.UnicodeScalarView(cell.unicodeScalars.filter { !isStrayControl($0) }))
            : cell
        return printable.trimmingCharacters(in: trimmedCharacters)
    }

    private static func isStrayControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control && scalar != "\t" && scalar != "\n" && scalar != "\r"
    }

    private static let trimmedCharacters = CharacterSet.whitespacesAndNewlines
        .union(CharacterSet(charactersIn: "\u{FEFF}\u{200B}"))

    /// Runs of spaces become one ASCII space: "王  小 明" and "王　小明" are typing accidents.
    static func collapsingSpaces(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// "3号楼", "3栋", "3幢", "3座", "3#", "第3栋", "03", "三号楼" → "3"; "12号" → "12". Any
    /// other label ("A座", "综合楼") is kept as written, so the directory can still find it.
    public static func building(_ cell: String) -> String {
        let text = collapsingSpaces(cell.precomposedStringWithCompatibilityMapping)
        var core = Substring(text.filter { !$0.isWhitespace })
        if core.hasPrefix("第") { core = core.dropFirst() }
        for suffix in ["号楼", "号", "栋", "幢", "座", "#"] where core.hasSuffix(suffix) {
            core = core.dropLast(suffix.count)
            break
        }
        guard core.count <= 8, let number = Int(core) ?? chineseNumber(core) else { return text }
        return String(number)
    }

    /// "201室" → "201"; full-width "２０１" → "201".
    static func room(_ cell: String) -> String {
        let text = collapsingSpaces(cell.precomposedStringWithCompatibilityMapping)
        for suffix in ["室", "号", "房"] where text.hasSuffix(suffix) && text.count > 1 {
            return trimmed(String(text.dropLast()))
        }
        return text
    }

    static func name(_ cell: String) -> String { collapsingSpaces(cell) }

    static func gender(_ cell: String) -> Gender? {
        switch cell.precomposedStringWithCompatibilityMapping.lowercased() {
        case "男", "男性", "m", "male": .male
        case "女", "女性", "f", "female": .female
        default: nil
        }
    }

    static func genderText(_ gender: Gender) -> String {
        switch gender {
        case .male: "男"
        case .female: "女"
        }
    }

    /// Digits only. Accepts an 11-digit mobile number starting with 1 (after dropping a "+86" or
    /// "86" country code) or a 7–12 digit landline; "021-6123 4567" → "02161234567".
    static func phone(_ cell: String) -> String? {
        var text = Substring(cell.precomposedStringWithCompatibilityMapping.filter { !" -()".contains($0) && !$0.isWhitespace })
        let hadPlus = text.hasPrefix("+")
        if hadPlus { text = text.dropFirst() }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if text.hasPrefix("86"), isMobile(text.dropFirst(2)) { return String(text.dropFirst(2)) }
        // Any other "+" number is foreign or mistyped: nobody on the register is reached abroad.
        if hadPlus { return nil }
        let isLandline = (7...12).contains(text.count) && !text.hasPrefix("1")
        return isMobile(text) || isLandline ? String(text) : nil
    }

    static func isMobile(_ digits: some StringProtocol) -> Bool {
        digits.count == 11 && digits.hasPrefix("1") && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The year of "1948", "1948年", "1948-05-03", "1948/5/3", "1948.5.3", "1948年5月3日",
    /// "19480503" or "1948/5/3 0:00", if it lies between 1900 and `currentYear`.
    static func birthYear(_ cell: String, currentYear: Int) -> Int? {
        let text = cell.precomposedStringWithCompatibilityMapping
        let date = text.split(whereSeparator: { $0.isWhitespace }).first.map(String.init) ?? text
        let parts: [Substring]
        if date.count == 8, date.allSatisfy({ $0.isASCII && $0.isNumber }) {
            let characters = Array(date)
            parts = [Substring(String(characters[0..<4])), Substring(String(characters[4..<6])), Substring(String(characters[6..<8]))]
        } else {
            parts = date.split(whereSeparator: { "-/.年月日".contains($0) })
        }
        guard (1...3).contains(parts.count), parts[0].count == 4,
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0])
        else { return nil }
        if parts.count >= 2, let month = Int(parts[1]), !(1...12).contains(month) { return nil }
        if parts.count == 3, let day = Int(parts[2]), !(1...31).contains(day) { return nil }
        return (1900...max(1900, currentYear)).contains(year) ? year : nil
    }

    /// 一 ... 九千九百九十九 and digit-by-digit forms such as "一〇二"; nil for anything else.
    static func chineseNumber(_ text: Substring) -> Int? {
        let digits: [Character: Int] = ["零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
        let units: [Character: Int] = ["十": 10, "百": 100, "千": 1000]
        // Building and room numbers have a few digits; a long run would overflow Int.
        guard !text.isEmpty, text.count <= 8, text.allSatisfy({ digits[$0] != nil || units[$0] != nil }) else { return nil }
        if !text.contains(where: { units[$0] != nil }) {
            return text.reduce(0) { $0 * 10 + (digits[$1] ?? 0) }
        }
        var total = 0
        var pending = 0
        var lastUnit = Int.max
        for character in text {
            if let digit = digits[character] {
                pending = digit
            } else if let unit = units[character] {
                // Units must fall: "十百" or "三十三十" are not numbers.
                guard unit < lastUnit else { return nil }
                total += (pending == 0 ? 1 : pending) * unit
                pending = 0
                lastUnit = unit
            }
        }
        return total + pending
    }
}
