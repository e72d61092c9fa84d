import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Runs an XMLParser over one workbook part with a delegate that collects what it needs.
/// Parts of a workbook never declare a DTD, so one that does is refused before parsing rather
/// than trusting the XML library to defuse entity-expansion bombs.
private func parseXML(_ data: Data, part: String, delegate: some PartParser) throws(SpreadsheetError) {
    if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
        throw .malformedXML(part: part)
    }
    let parser = XMLParser(data: data)
    parser.shouldProcessNamespaces = false
    parser.shouldResolveExternalEntities = false
    parser.delegate = delegate
    let succeeded = parser.parse()
    if let error = delegate.failure { throw error }
    // swift-corelibs-foundation's parse() can return true after libxml2 reported an error, so
    // the error is checked as well.
    guard succeeded, parser.parserError == nil else { throw .malformedXML(part: part) }
}

private protocol PartParser: XMLParserDelegate {
    var failure: SpreadsheetError? { get }
}

/// Element names without their namespace prefix: some generators write "x:row" for "row".
private func localName(_ qualifiedName: String) -> Substring {
    qualifiedName.split(separator: ":").last ?? Substring(qualifiedName)
}

/// Decodes the `_xHHHH_` escapes OOXML uses for characters XML cannot carry (Excel writes a
/// carriage return inside a cell as "_x000D_").
func decodingOOXMLEscapes(_ text: String) -> String {
    guard text.contains("_x") else { return text }
    var result = String.UnicodeScalarView()
    let scalars = Array(text.unicodeScalars)
    var index = 0
    while index < scalars.count {
        if scalars[index] == "_", index + 6 < scalars.count, scalars[index + 1] == "x", scalars[index + 6] == "_",
           let value = UInt32(String(String.UnicodeScalarView(scalars[(index + 2)..<(index + 6)])), radix: 16),
           let scalar = Unicode.Scalar(value) {
            result.append(scalar)
            index += 7
        } else {
            result.append(scalars[index])
            index += 1
        }
    }
    return String(result)
}

// MARK: - xl/workbook.xml

struct WorkbookPart {
    var firstSheetRelationshipID: String?
    var uses1904DateSystem = false

    static func parse(_ data: Data) throws(SpreadsheetError) -> WorkbookPart {
        let delegate = Delegate()
        try parseXML(data, part: "xl/workbook.xml", delegate: delegate)
        return delegate.workbook
    }

    private final class Delegate: NSObject, PartParser {
        var workbook = WorkbookPart()
        var failure: SpreadsheetError?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            switch localName(elementName) {
            case "sheet" where workbook.firstSheetRelationshipID == nil:
                // The relationship id is "r:id" with whatever prefix the file binds to the
                // relationships namespace.
                workbook.firstSheetRelationshipID = attributes.first { name, _ in
                    name != "sheetId" && localName(name) == "id"
                }?.value
            case "workbookPr":
                let flag = attributes["date1904"]
                workbook.uses1904DateSystem = flag == "1" || flag == "true"
            default:
                break
            }
        }
    }
}

// MARK: - xl/_rels/workbook.xml.rels

enum RelationshipsPart {
    /// Relationship id → target.
    static func parse(_ data: Data, part: String) throws(SpreadsheetError) -> [String: String] {
        let delegate = Delegate()
        try parseXML(data, part: part, delegate: delegate)
        return delegate.targets
    }

    private final class Delegate: NSObject, PartParser {
        var targets: [String: String] = [:]
        var failure: SpreadsheetError?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            guard localName(elementName) == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
            targets[id] = target
        }
    }
}

// MARK: - xl/sharedStrings.xml

enum SharedStringsPart {
    static func parse(_ data: Data) throws(SpreadsheetError) -> [String] {
        let delegate = Delegate()
        try parseXML(data, part: "xl/sharedStrings.xml", delegate: delegate)
        return delegate.strings
    }

    /// Collects each `<si>`: plain `<t>` or the `<t>` of every rich-text run `<r>`, but not the
    /// phonetic guide `<rPh>`, whose text Excel does not show in the cell.
    private final class Delegate: NSObject, PartParser {
        var strings: [String] = []
        var failure: SpreadsheetError?
        private var current: String?
        private var inText = false
        private var phoneticDepth = 0

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            switch localName(elementName) {
            case "si": current = ""
            case "rPh": phoneticDepth += 1
            case "t": inText = current != nil && phoneticDepth == 0
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            switch localName(elementName) {
            case "si":
                strings.append(decodingOOXMLEscapes(current ?? ""))
                current = nil
            case "rPh": phoneticDepth -= 1
            case "t": inText = false
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { current?.append(string) }
        }
    }
}

// MARK: - xl/styles.xml

/// Only what decides whether a number is a date: the number format of each cell style.
struct StylesPart {
    /// Number format id of each entry of `<cellXfs>`, indexed by a cell's `s` attribute.
    var cellFormatIDs: [Int] = []
    /// Custom formats declared in `<numFmts>`, by id.
    var customFormats: [Int: String] = [:]

    func isDateStyle(_ styleIndex: Int) -> Bool {
        guard cellFormatIDs.indices.contains(styleIndex) else { return false }
        let formatID = cellFormatIDs[styleIndex]
        if let code = customFormats[formatID] { return ExcelValueText.isDateFormat(code) }
        return ExcelValueText.builtInDateFormatIDs.contains(formatID)
    }

    static func parse(_ data: Data) throws(SpreadsheetError) -> StylesPart {
        let delegate = Delegate()
        try parseXML(data, part: "xl/styles.xml", delegate: delegate)
        return delegate.styles
    }

    private final class Delegate: NSObject, PartParser {
        var styles = StylesPart()
        var failure: SpreadsheetError?
        private var inCellFormats = false

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            switch localName(elementName) {
            case "numFmt":
                if let id = attributes["numFmtId"].flatMap({ Int($0) }), let code = attributes["formatCode"] {
                    styles.customFormats[id] = code
                }
            case "cellXfs": inCellFormats = true
            case "xf" where inCellFormats:
                styles.cellFormatIDs.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0)
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            if localName(elementName) == "cellXfs" { inCellFormats = false }
        }
    }
}

// MARK: - xl/worksheets/sheetN.xml

enum WorksheetPart {
    static func parse(
        _ data: Data, part: String, sharedStrings: [String], styles: StylesPart, dateSystem: ExcelValueText.DateSystem
    ) throws(SpreadsheetError) -> [[String]] {
        let delegate = Delegate(part: part, sharedStrings: sharedStrings, styles: styles, dateSystem: dateSystem)
        try parseXML(data, part: part, delegate: delegate)
        var rows: [[String]] = []
        for (rowIndex, cells) in delegate.cellsByRow.sorted(by: { $0.key < $1.key }) {
            guard let lastColumn = cells.keys.max() else { continue }
            while rows.count < rowIndex { rows.append([]) }
            var row = Array(repeating: "", count: lastColumn + 1)
            for (column, value) in cells { row[column] = value }
            rows.append(row)
        }
        return rows
    }

    /// Reads `<row r="12"><c r="C12" t="s" s="3"><v>7</v></c></row>`. Rows and cells without a
    /// reference follow the previous one, as the format allows.
    private final class Delegate: NSObject, PartParser {
        /// Zero-based row → zero-based column → displayed text; only cells with a value.
        var cellsByRow: [Int: [Int: String]] = [:]
        var failure: SpreadsheetError?

        private let part: String
        private let sharedStrings: [String]
        private let styles: StylesPart
        private let dateSystem: ExcelValueText.DateSystem

        private var rowIndex = -1
        private var columnIndex = -1
        private var cellType: String?
        private var cellStyle = 0
        private var value: String?
        private var inlineText: String?
        private var capturing: Capture = .nothing
        private var phoneticDepth = 0

        private enum Capture { case nothing, value, inlineText }

        init(part: String, sharedStrings: [String], styles: StylesPart, dateSystem: ExcelValueText.DateSystem) {
            self.part = part
            self.sharedStrings = sharedStrings
            self.styles = styles
            self.dateSystem = dateSystem
        }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            switch localName(elementName) {
            case "row":
                // Excel's sheets end at row 1,048,576; anything else is a broken or hostile file.
                let number = attributes["r"].map { Int($0) ?? 0 } ?? rowIndex + 2
                if !(1...1_048_576).contains(number) {
                    failure = .malformedXML(part: part)
                    parser.abortParsing()
                    return
                }
                rowIndex = number - 1
                columnIndex = -1
            case "c":
                let reference = attributes["r"].flatMap(CellReference.init)
                if let reference { rowIndex = reference.row }
                columnIndex = reference?.column ?? columnIndex + 1
                cellType = attributes["t"]
                cellStyle = attributes["s"].flatMap { Int($0) } ?? 0
                value = nil
                inlineText = nil
            case "v":
                capturing = .value
                value = value ?? ""
            case "is":
                inlineText = ""
            case "rPh":
                phoneticDepth += 1
            case "t" where inlineText != nil && phoneticDepth == 0:
                capturing = .inlineText
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            switch localName(elementName) {
            case "v", "t": capturing = .nothing
            case "rPh": phoneticDepth -= 1
            case "c": finishCell(parser)
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            switch capturing {
            case .nothing: break
            case .value: value?.append(string)
            case .inlineText: inlineText?.append(string)
            }
        }

        private func finishCell(_ parser: XMLParser) {
            guard rowIndex >= 0, columnIndex >= 0 else { return }
            let text: String?
            switch cellType {
            case "s":
                guard let index = value.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }),
                      sharedStrings.indices.contains(index)
                else {
                    failure = .malformedXML(part: part)
                    parser.abortParsing()
                    return
                }
                text = sharedStrings[index]
            case "inlineStr":
                text = inlineText.map(decodingOOXMLEscapes)
            case "b":
                text = value.map { $0 == "1" ? "TRUE" : "FALSE" }
            case "str", "e", "d":
                text = value.map(decodingOOXMLEscapes)
            default:
                text = value.map { number in
                    if styles.isDateStyle(cellStyle), let date = ExcelValueText.dateText(serial: number, system: dateSystem) {
                        return date
                    }
                    return ExcelValueText.numberText(number)
                }
            }
            guard let text, !text.isEmpty else { return }
            cellsByRow[rowIndex, default: [:]][columnIndex] = text
        }
    }
}

/// A cell reference such as "C12", zero-based.
struct CellReference: Equatable {
    var column: Int
    var row: Int

    init(column: Int, row: Int) {
        self.column = column
        self.row = row
    }

    init?(_ text: String) {
        var column = 0
        var row = 0
        var sawLetter = false
        var sawDigit = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "A"..."Z" where !sawDigit:
                column = column * 26 + Int(scalar.value - 64)
                sawLetter = true
            case "0"..."9" where sawLetter:
                row = row * 10 + Int(scalar.value - 48)
                sawDigit = true
            default:
                return nil
            }
            // Excel stops at XFD (16384 columns) and 1,048,576 rows.
            if column > 16_384 || row > 1_048_576 { return nil }
        }
        guard sawLetter, sawDigit, row > 0 else { return nil }
        self.column = column - 1
        self.row = row - 1
    }

    /// "A", "B", ..., "Z", "AA", ...
    var columnName: String {
        var name = ""
        var remaining = column + 1
        while remaining > 0 {
            let letter = (remaining - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + letter))) + name
            remaining = (remaining - 1) / 26
        }
        return name
    }

    var text: String { "\(columnName)\(row + 1)" }
}
