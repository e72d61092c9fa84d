import Foundation

/// RFC 4180 CSV as Excel, WPS and LibreOffice write it, with the encodings Chinese offices use.
public enum CSVCodec {
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    /// Foundation's NSStringEncoding for GB18030 (CFStringEncoding 0x0632 with the 0x80000000 flag).
    /// It has no named constant, but both Darwin Foundation and swift-corelibs-foundation convert it.
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// Splits CSV bytes into rows of fields. An empty line inside the file yields an empty row
    /// (so row numbers keep matching what the user sees in Excel); empty lines at the end are dropped.
    public static func decode(_ data: Data) throws(SpreadsheetError) -> [[String]] {
        let text = try decodeText(data)
        var rows: [[String]] = []
        var row: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var quoteOpenedOnLine: Int?
        var fieldWasQuoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar?

        func endField() {
            row.append(String(field))
            field = String.UnicodeScalarView()
            fieldWasQuoted = false
        }
        func endRow() {
            // A line with nothing on it is an empty row, not a row with one empty cell, so that a
            // blank line in a register reads the same as a blank row in Excel.
            if row.isEmpty, field.isEmpty, !fieldWasQuoted {
                rows.append([])
            } else {
                endField()
                rows.append(row)
            }
            row = []
            line += 1
        }

        while let scalar = pending ?? scalars.next() {
            pending = nil
            if quoteOpenedOnLine != nil {
                switch scalar {
                case "\"":
                    let next = scalars.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        quoteOpenedOnLine = nil
                        pending = next
                    }
                case "\n":
                    field.append(scalar)
                    line += 1
                default:
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty && !fieldWasQuoted:
                quoteOpenedOnLine = line
                fieldWasQuoted = true
            case ",":
                endField()
            case "\r":
                let next = scalars.next()
                if next != "\n" { pending = next }
                endRow()
            case "\n":
                endRow()
            default:
                // Lenient like Excel: a quote inside an unquoted field, or text after a closing
                // quote, is kept as written rather than rejecting the whole file.
                field.append(scalar)
            }
        }
        if let line = quoteOpenedOnLine { throw .unterminatedQuote(line: line) }
        if !row.isEmpty || !field.isEmpty || fieldWasQuoted { endRow() }
        while rows.last?.isEmpty == true { rows.removeLast() }
        return rows
    }

    /// Writes rows as UTF-8 with a byte-order mark (without it Excel on Windows reads Chinese as
    /// mojibake) and CRLF line ends, quoting a field only when it needs it.
    public static func encode(_ rows: [[String]]) -> Data {
        var text = ""
        for row in rows {
            // A row holding one empty cell is written as "" so it does not read back as a blank line.
            if row == [""] {
                text += "\"\"\r\n"
                continue
            }
            text += row.map { quoted(neutralisingFormula($0)) }.joined(separator: ",")
            text += "\r\n"
        }
        return Data(byteOrderMark) + Data(text.utf8)
    }

    /// Guards against CSV formula injection: Excel runs a cell that starts with `=`, `+`, `-` or
    /// `@` as a formula, so a resident named "=HYPERLINK(...)" could attack whoever opens the
    /// export. Such a cell gets a leading apostrophe, which Excel shows as plain text. Cells that
    /// are only a number or a phone number ("-12.5", "+86 138 1234 5678"), and a lone "-" (the
    /// usual "none"), are left alone, because committees need them intact. Deliberately stricter than "a sign followed by a digit":
    /// "-2+3+cmd|' /C calc'!A0" starts with a digit and is still a known DDE attack.
    static func neutralisingFormula(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first else { return cell }
        switch first {
        case "=", "@", "\t", "\r":
            return "'" + cell
        case "+", "-":
            let rest = cell.unicodeScalars.dropFirst()
            return rest.isEmpty || looksNumeric(rest) ? cell : "'" + cell
        default:
            return cell
        }
    }

    private static func looksNumeric(_ rest: Substring.UnicodeScalarView) -> Bool {
        guard let first = rest.first, ("0"..."9").contains(first) else { return false }
        return rest.allSatisfy { ("0"..."9").contains($0) || $0 == " " || $0 == "-" || $0 == "." }
    }

    private static func quoted(_ field: String) -> String {
        let needsQuotes = field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || field.hasPrefix(" ") || field.hasSuffix(" ")
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func decodeText(_ data: Data) throws(SpreadsheetError) -> String {
        let body = data.starts(with: byteOrderMark) ? data.dropFirst(byteOrderMark.count) : data[...]
        if let text = String(validating: body, as: UTF8.self) { return text }
        // Excel on a Chinese Windows saves "CSV (逗号分隔)" in the system code page, GBK, which
        // GB18030 contains.
        if let text = String(data: Data(body), encoding: gb18030) { return text }
        throw .unsupportedEncoding
    }
}
