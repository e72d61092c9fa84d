import Foundation

/// Character-level helpers of the chain-list parser. Chat messages mix full-width and ASCII
/// forms freely (IMEs switch on their own), so everything is folded to one form first.
enum ChainListText {
    /// Folds full-width ASCII, keycap digits, ideographic spaces, dash and multiplication
    /// look-alikes and emoji variation selectors, so later stages compare against one spelling only.
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
            case 0x20E3 where scalars.last.map(keycapBases.contains) == true:
                // The keycap of "1️⃣": the digit it frames is what was typed.
                continue
            case 0x1F51F:
                // "🔟", the keycap ten.
                scalars.append(contentsOf: "10".unicodeScalars)
            case 0x3010, 0x3011, 0x300C, 0x300D, 0x300E, 0x300F:
                // 【】「」『』 bracket remarks; a space keeps the words apart.
                scalars.append(" ")
            default:
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// The characters a keycap emoji frames ("1️⃣", "#️⃣", "*️⃣").
    private static let keycapBases = Set("0123456789#*".unicodeScalars)

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
