import Foundation
import Testing
import ZIPFoundation
@testable import LinliCore

/// Inputs a careless or hostile upload can carry; each must end in a clear error or a clean
/// value, never a crash.
@Suite("Hostile spreadsheet and register input")
struct HostileInputTests {
    /// A valid workbook from our own encoder with its worksheet replaced.
    static func workbook(sheetXML: String) throws -> Data {
        let original = try XLSXCodec.encode([["楼号", "室号", "姓名"]], sheetName: "Sheet1")
        let source = try Archive(data: original, accessMode: .read)
        let target = try Archive(accessMode: .create)
        for entry in source {
            var content = Data()
            _ = try source.extract(entry) { content.append($0) }
            if entry.path.hasPrefix("xl/worksheets/") { content = Data(sheetXML.utf8) }
            try target.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(content.count), provider: { position, size in
                content.subdata(in: Int(position)..<Int(position) + size)
            })
        }
        return try #require(target.data)
    }

    @Test("row numbers beyond Excel's last row are a malformed sheet, not a crash or a billion rows", arguments: ["4000000000", "-9223372036854775808", "0"])
    func hugeRowNumbers(row: String) throws {
        let sheet = #"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="\#(row)"><c t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"#
        #expect(throws: SpreadsheetError.self) { try XLSXCodec.decode(try Self.workbook(sheetXML: sheet)) }
    }

    @Test("a building written in endless Chinese digits stays a label instead of overflowing")
    func longChineseNumber() {
        let label = String(repeating: "九", count: 40)
        #expect(RegisterValue.building(label) == label)
        #expect(RegisterValue.building("三号楼") == "3")
        #expect(RegisterValue.building("第十二栋") == "12")
    }

    @Test("control characters in cells are dropped, so no NUL ever reaches the database")
    func controlCharacters() {
        let result = RegisterParser.parse(rows: [["楼号", "室号", "姓名", "备注"], ["3", "201", "王\u{0}建国", "独居\u{7}"]], currentYear: 2022)
        #expect(result.issues.isEmpty)
        #expect(result.rows.first?.name == "王建国")
        #expect(result.rows.first?.note == "独居")
    }
}
