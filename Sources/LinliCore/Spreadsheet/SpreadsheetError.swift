/// Why an uploaded or generated spreadsheet could not be read or written. Each case names the
/// catalogue text a committee worker sees, so a bad upload is a 4xx with a readable message.
public enum SpreadsheetError: Error, Equatable, Sendable {
    /// The bytes are not a zip archive, or the archive is not an Office Open XML workbook.
    case notAnXLSXFile
    /// The workbook has no worksheet to read.
    case noWorksheet
    /// A part of the workbook (e.g. "xl/sharedStrings.xml") is not well-formed XML.
    case malformedXML(part: String)
    /// A CSV file is neither UTF-8 nor GB18030.
    case unsupportedEncoding
    /// A quoted CSV field opened on `line` is never closed.
    case unterminatedQuote(line: Int)
    /// A part would unpack to more than `XLSXCodec.maximumPartSize` bytes: a zip bomb, or a
    /// register far larger than any committee keeps.
    case partTooLarge(part: String)
    /// The XLSX archive could not be assembled in memory.
    case cannotWriteXLSX

    public var catalogueKey: String {
        switch self {
        case .notAnXLSXFile: "spreadsheet.error.not_xlsx"
        case .noWorksheet: "spreadsheet.error.no_worksheet"
        case .malformedXML: "spreadsheet.error.malformed_xml"
        case .unsupportedEncoding: "spreadsheet.error.unsupported_encoding"
        case .unterminatedQuote: "spreadsheet.error.unterminated_quote"
        case .partTooLarge: "spreadsheet.error.part_too_large"
        case .cannotWriteXLSX: "spreadsheet.error.cannot_write_xlsx"
        }
    }

    /// Values for the placeholders of the catalogue text.
    public var catalogueArguments: [String: String] {
        switch self {
        case .malformedXML(let part), .partTooLarge(let part): ["part": part]
        case .unterminatedQuote(let line): ["line": String(line)]
        case .notAnXLSXFile, .noWorksheet, .unsupportedEncoding, .cannotWriteXLSX: [:]
        }
    }

    public func message(in language: Language) -> String {
        Catalogue.text(catalogueKey, language, catalogueArguments)
    }
}
