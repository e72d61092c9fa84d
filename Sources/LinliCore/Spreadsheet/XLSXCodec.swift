import Foundation
import ZIPFoundation

/// Office Open XML workbooks (.xlsx) as Excel, WPS and LibreOffice write them, read and written
/// entirely in memory: an upload never touches the disk.
public enum XLSXCodec {
    /// The largest part a workbook may unpack to. A zip bomb expands a few kilobytes into
    /// gigabytes; the biggest committee register is a few megabytes.
    public static let maximumPartSize: UInt64 = 50 * 1024 * 1024

    /// Reads the first worksheet as rows of text, the way Excel displays them: shared and inline
    /// strings, numbers without a spurious ".0" or exponent, dates as "yyyy-MM-dd". Empty rows keep
    /// their place so row numbers match Excel's; each row ends at its last non-empty cell.
    public static func decode(_ data: Data) throws(SpreadsheetError) -> [[String]] {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw .notAnXLSXFile
        }
        let workbookData = try read("xl/workbook.xml", from: archive)
        guard let workbookData else { throw .notAnXLSXFile }
        let workbook = try WorkbookPart.parse(workbookData)

        let sheetPath = try firstSheetPath(workbook: workbook, archive: archive)
        guard let sheetData = try read(sheetPath, from: archive) else { throw .noWorksheet }
        let sharedStrings = try read("xl/sharedStrings.xml", from: archive).map { data throws(SpreadsheetError) in
            try SharedStringsPart.parse(data)
        } ?? []
        let styles = try read("xl/styles.xml", from: archive).map { data throws(SpreadsheetError) in
            try StylesPart.parse(data)
        } ?? StylesPart()
        return try WorksheetPart.parse(
            sheetData, part: sheetPath, sharedStrings: sharedStrings, styles: styles,
            dateSystem: workbook.uses1904DateSystem ? .from1904 : .from1900
        )
    }

    /// Writes a one-sheet workbook. Every cell is a string (and the default cell format is Text),
    /// so a phone number keeps all its digits and "0021" its leading zeros; the first row is bold.
    /// Strings cannot run as formulas, so no formula-injection guard is needed here, unlike CSV.
    public static func encode(_ rows: [[String]], sheetName: String) throws(SpreadsheetError) -> Data {
        let parts = WorkbookWriter(rows: rows, sheetName: sheetName).parts()
        do {
            let archive = try Archive(accessMode: .create)
            for (path, content) in parts {
                let bytes = Data(content.utf8)
                try archive.addEntry(
                    with: path, type: .file, uncompressedSize: Int64(bytes.count),
                    // A fixed timestamp keeps the output a pure function of the rows.
                    modificationDate: fixedModificationDate, compressionMethod: .deflate
                ) { position, size in
                    bytes.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let data = archive.data else { throw SpreadsheetError.cannotWriteXLSX }
            return data
        } catch {
            throw .cannotWriteXLSX
        }
    }

    private static let fixedModificationDate = Date(timeIntervalSince1970: 315_532_800)  // 1980-01-01, the zip epoch

    /// The first sheet in workbook order, found through the workbook's relationships; files from
    /// some generators name it differently from "sheet1.xml".
    private static func firstSheetPath(workbook: WorkbookPart, archive: Archive) throws(SpreadsheetError) -> String {
        let fallback = "xl/worksheets/sheet1.xml"
        guard let relationshipID = workbook.firstSheetRelationshipID,
              let relsData = try read("xl/_rels/workbook.xml.rels", from: archive)
        else { return fallback }
        let targets = try RelationshipsPart.parse(relsData, part: "xl/_rels/workbook.xml.rels")
        guard let target = targets[relationshipID] else { return fallback }
        return resolve(target: target, relativeTo: "xl")
    }

    /// Resolves a relationship target ("worksheets/sheet1.xml", "/xl/worksheets/sheet1.xml",
    /// "../xl/worksheets/sheet1.xml") to a path inside the archive.
    static func resolve(target: String, relativeTo base: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var components = base.split(separator: "/").map(String.init)
        for component in target.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(String(component))
            }
        }
        return components.joined(separator: "/")
    }

    /// The bytes of one part, or nil if the archive has no such part.
    private static func read(_ path: String, from archive: Archive) throws(SpreadsheetError) -> Data? {
        guard let entry = archive[path] else { return nil }
        guard entry.uncompressedSize <= maximumPartSize else { throw .partTooLarge(part: path) }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                // The header's size may lie; count what actually comes out.
                guard UInt64(data.count + chunk.count) <= maximumPartSize else {
                    throw SpreadsheetError.partTooLarge(part: path)
                }
                data.append(chunk)
            }
        } catch let error as SpreadsheetError {
            throw error
        } catch {
            throw .notAnXLSXFile
        }
        return data
    }
}
