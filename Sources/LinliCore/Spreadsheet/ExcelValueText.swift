import Foundation

/// How Excel shows a stored number: registers type phone numbers and years as numbers, and the
/// file stores them as "13812345678", "1.3812345678E10" or "1980.0" depending on the writer.
enum ExcelValueText {
    /// Excel shows at most 15 significant digits; the file may hold 17 ("68.900000000000006").
    private static let displayedSignificantDigits = 15

    /// The plain decimal text of a stored number: no exponent, no trailing fractional zeros,
    /// rounded to the 15 significant digits Excel displays. Text that is not a number is returned
    /// unchanged.
    static func numberText(_ stored: String) -> String {
        let trimmed = stored.trimmingCharacters(in: .whitespaces)
        guard var decimal = DecimalText(parsing: trimmed) else { return stored }
        decimal.round(toSignificantDigits: displayedSignificantDigits)
        return decimal.plainText ?? stored
    }

    /// Number formats 14–22 and 45–47 are Excel's built-in dates and times; 27–36 and 50–58 are
    /// the built-in formats of Chinese, Japanese and Korean Excel ("yyyy年m月d日" and the like).
    static let builtInDateFormatIDs: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// A custom format is a date if it has a date or time letter outside quoted text, escapes and
    /// brackets ("[Red]", "[$-804]").
    static func isDateFormat(_ code: String) -> Bool {
        var inQuote = false
        var inBracket = false
        var skipNext = false
        for character in code.lowercased() {
            if skipNext { skipNext = false; continue }
            switch character {
            case "\"": inQuote.toggle()
            case "[" where !inQuote: inBracket = true
            case "]" where !inQuote: inBracket = false
            case "\\", "_", "*": if !inQuote { skipNext = true }
            case "y", "m", "d", "h", "s": if !inQuote && !inBracket { return true }
            default: break
            }
        }
        return false
    }

    enum DateSystem {
        case from1900, from1904
    }

    /// "1948-05-03" for a date serial, "1948-05-03 08:30" with a time, "08:30" for a time alone.
    static func dateText(serial: String, system: DateSystem) -> String? {
        guard let value = Double(serial.trimmingCharacters(in: .whitespaces)), value >= 0, value < 2_958_466 else { return nil }
        let wholeDays = Int(value.rounded(.down))
        let seconds = Int(((value - Double(wholeDays)) * 86_400).rounded())
        let (dayOffset, secondOfDay) = seconds == 86_400 ? (1, 0) : (0, seconds)
        let daysSinceUnixEpoch: Int
        switch system {
        case .from1904:
            daysSinceUnixEpoch = wholeDays + dayOffset - 24_107
        case .from1900:
            // Excel counts a 29 February 1900 that never was (a Lotus 1-2-3 bug it keeps), so
            // serials before it are one day later than the arithmetic says.
            let serialDay = wholeDays + dayOffset
            daysSinceUnixEpoch = serialDay < 61 ? serialDay - 25_568 : serialDay - 25_569
        }
        let time = String(format2: secondOfDay / 3600) + ":" + String(format2: secondOfDay / 60 % 60)
            + (secondOfDay % 60 == 0 ? "" : ":" + String(format2: secondOfDay % 60))
        if wholeDays == 0 && system == .from1900 { return time }
        let civil = CivilDate(daysSinceUnixEpoch: daysSinceUnixEpoch)
        let date = "\(civil.year)-\(String(format2: civil.month))-\(String(format2: civil.day))"
        return secondOfDay == 0 ? date : date + " " + time
    }
}

private extension String {
    /// Two-digit zero-padded text, without Foundation's locale-dependent formatting.
    init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}

/// An exact decimal as digits and a point position, enough to re-print a stored number without
/// binary floating-point noise.
private struct DecimalText {
    var isNegative: Bool
    /// Significant digits without leading zeros; empty for zero.
    var digits: [UInt8]
    /// How many of `digits` stand before the decimal point (may be negative or exceed the count).
    var pointPosition: Int

    /// Parses "-12.50", "1.3812345678E10", ".5", "7E-3".
    init?(parsing text: String) {
        var scalars = Substring(text).unicodeScalars[...]
        isNegative = scalars.first == "-"
        if scalars.first == "-" || scalars.first == "+" { scalars = scalars.dropFirst() }
        var mantissa: [UInt8] = []
        var integerDigits = 0
        var sawPoint = false
        var exponentText: Substring.UnicodeScalarView.SubSequence?
        loop: for (offset, scalar) in zip(scalars.indices, scalars) {
            switch scalar {
            case "0"..."9":
                mantissa.append(UInt8(scalar.value - 48))
                if !sawPoint { integerDigits += 1 }
            case "." where !sawPoint:
                sawPoint = true
            case "e", "E":
                exponentText = scalars[scalars.index(after: offset)...]
                break loop
            default:
                return nil
            }
        }
        guard !mantissa.isEmpty else { return nil }
        var exponent = 0
        if let exponentText {
            guard let parsed = Int(String(exponentText)), abs(parsed) < 400 else { return nil }
            exponent = parsed
        }
        let leadingZeros = mantissa.prefix { $0 == 0 }.count
        digits = Array(mantissa.dropFirst(leadingZeros))
        pointPosition = integerDigits + exponent - leadingZeros
        while digits.last == 0 { digits.removeLast() }
    }

    mutating func round(toSignificantDigits limit: Int) {
        guard digits.count > limit else { return }
        let roundUp = digits[limit] >= 5
        digits.removeSubrange(limit...)
        if roundUp {
            var index = digits.count - 1
            while index >= 0 {
                if digits[index] == 9 {
                    digits[index] = 0
                    index -= 1
                } else {
                    digits[index] += 1
                    break
                }
            }
            if index < 0 {
                digits.insert(1, at: 0)
                pointPosition += 1
            }
        }
        while digits.last == 0 { digits.removeLast() }
    }

    /// "13812345678", "0.0015", "-12.5"; nil when the magnitude is too extreme to print plainly.
    var plainText: String? {
        if digits.isEmpty { return "0" }
        guard (-20...30).contains(pointPosition) else { return nil }
        let text = digits.map { String($0) }.joined()
        let magnitude: String
        if pointPosition <= 0 {
            magnitude = "0." + String(repeating: "0", count: -pointPosition) + text
        } else if pointPosition >= digits.count {
            magnitude = text + String(repeating: "0", count: pointPosition - digits.count)
        } else {
            let split = text.index(text.startIndex, offsetBy: pointPosition)
            magnitude = text[..<split] + "." + text[split...]
        }
        return (isNegative ? "-" : "") + magnitude
    }
}
