import Foundation
import Testing
@testable import LinliCore

@Suite("Spreadsheet format and errors")
struct SpreadsheetTests {
    @Test("the format follows the file extension, whatever its case", arguments: [
        ("户籍底册.xlsx", SpreadsheetFormat?.some(.xlsx)),
        ("REGISTER.XLSX", .xlsx),
        ("底册.csv", .csv),
        ("底册.xls", nil),
        ("底册", nil),
    ])
    func formatFromFileName(fileName: String, expected: SpreadsheetFormat?) {
        #expect(SpreadsheetFormat(fileName: fileName) == expected)
    }

    @Test("a zip is sniffed as XLSX, anything else as CSV")
    func sniffing() throws {
        #expect(SpreadsheetFormat.sniff(try RegisterFixture.data("register.xlsx")) == .xlsx)
        #expect(SpreadsheetFormat.sniff(try RegisterFixture.data("register-utf8-bom.csv")) == .csv)
        #expect(SpreadsheetFormat.sniff(Data()) == .csv)
    }

    @Test("the content decides the format even when the file was renamed")
    func renamedFile() throws {
        let rows = try Spreadsheet.decode(RegisterFixture.data("register.xlsx"), fileName: "底册.csv")
        #expect(rows.first?.first == "楼号")
    }

    @Test("a file named .xlsx that is not a zip is reported as not an Excel file, not read as CSV")
    func textNamedXLSX() throws {
        let data = try RegisterFixture.data("register-utf8-bom.csv")
        #expect(throws: SpreadsheetError.notAnXLSXFile) { try Spreadsheet.decode(data, fileName: "底册.xlsx") }
    }

    @Test("an old .xls workbook gets the save-as-xlsx message, whatever its name")
    func legacyExcel() {
        let oleHeader = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + Data(repeating: 0, count: 504)
        #expect(throws: SpreadsheetError.notAnXLSXFile) { try Spreadsheet.decode(oleHeader, fileName: "底册.xls") }
        #expect(throws: SpreadsheetError.notAnXLSXFile) { try Spreadsheet.decode(oleHeader, fileName: nil) }
    }

    @Test("the same register reads the same from XLSX, CSV UTF-8 and GB18030 CSV")
    func formatsAgree() throws {
        let xlsx = try Spreadsheet.decode(RegisterFixture.data("register.xlsx"), fileName: "register.xlsx")
        let utf8 = try Spreadsheet.decode(RegisterFixture.data("register-utf8-bom.csv"), fileName: nil)
        let gb18030 = try Spreadsheet.decode(RegisterFixture.data("register-gb18030.csv"), fileName: "register.csv")
        // XLSX rows end at their last filled cell; CSV rows keep every column.
        let padded = xlsx.map { $0 + Array(repeating: "", count: 9 - $0.count) }
        #expect(utf8 == padded)
        #expect(gb18030 == utf8)
    }

    @Test("both formats encode through one entry point")
    func encodeEitherFormat() throws {
        let rows = [["姓名", "电话"], ["张三", "13812345678"]]
        for format in SpreadsheetFormat.allCases {
            let data = try Spreadsheet.encode(rows, format: format)
            #expect(SpreadsheetFormat.sniff(data) == format)
            #expect(try Spreadsheet.decode(data, fileName: nil) == rows)
        }
    }

    static let allErrors: [SpreadsheetError] = [
        .notAnXLSXFile, .noWorksheet, .malformedXML(part: "xl/workbook.xml"), .unsupportedEncoding,
        .unterminatedQuote(line: 3), .partTooLarge(part: "xl/worksheets/sheet1.xml"), .cannotWriteXLSX,
    ]

    @Test("every spreadsheet error has a message in both languages with its details filled in",
          arguments: allErrors, Language.allCases)
    func errorMessages(error: SpreadsheetError, language: Language) {
        #expect(Catalogue.all[error.catalogueKey] != nil, "missing \(error.catalogueKey)")
        let message = error.message(in: language)
        #expect(!message.contains("{"), "unfilled placeholder in \(message)")
        for value in error.catalogueArguments.values {
            #expect(message.contains(value))
        }
    }

    @Test("error catalogue keys are distinct")
    func distinctKeys() {
        #expect(Set(Self.allErrors.map(\.catalogueKey)).count == Self.allErrors.count)
    }
}
