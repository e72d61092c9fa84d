import Foundation

/// The two file formats committees keep their registers in.
public enum SpreadsheetFormat: String, Sendable, Hashable, CaseIterable {
    case csv
    case xlsx

    /// The format named by a file's extension, or nil for anything else (".xls" included: the
    /// binary Excel 97 format is not read; Excel and WPS both save as .xlsx).
    public init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: ".") else { return nil }
        let fileExtension = fileName[fileName.index(after: dot)...].lowercased()
        switch fileExtension {
        case "csv", "txt": self = .csv
        case "xlsx": self = .xlsx
        default: return nil
        }
    }

    /// Guesses from the content: every XLSX is a zip archive, and a CSV never starts like one.
    public static func sniff(_ data: Data) -> SpreadsheetFormat {
        data.starts(with: [0x50, 0x4B, 0x03, 0x04]) ? .xlsx : .csv
    }

    public var mediaType: String {
        switch self {
        case .csv: "text/csv; charset=utf-8"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }
}

/// Reads and writes a sheet as rows of text cells, whatever the file format.
public enum Spreadsheet {
    /// Decodes an uploaded file. The content decides over the name, because browsers and users
    /// rename files freely; the name only breaks the tie when the content is not a zip archive.
    public static func decode(_ data: Data, fileName: String?) throws(SpreadsheetError) -> [[String]] {
        let sniffed = SpreadsheetFormat.sniff(data)
        let named = fileName.flatMap(SpreadsheetFormat.init(fileName:))
        if sniffed == .csv, named == .xlsx || isLegacyExcel(data) { throw .notAnXLSXFile }
        switch sniffed {
        case .csv: return try CSVCodec.decode(data)
        case .xlsx: return try XLSXCodec.decode(data)
        }
    }

    /// Excel 97–2003 (.xls) files are OLE compound documents. Many committees still keep their
    /// register that way; they get the "save as .xlsx" message instead of a garbled CSV read.
    private static func isLegacyExcel(_ data: Data) -> Bool {
        data.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    }

    public static func encode(_ rows: [[String]], format: SpreadsheetFormat, sheetName: String = "Sheet1") throws(SpreadsheetError) -> Data {
        switch format {
        case .csv: CSVCodec.encode(rows)
        case .xlsx: try XLSXCodec.encode(rows, sheetName: sheetName)
        }
    }
}
