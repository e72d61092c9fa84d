import Foundation
import PropertyBased
import Testing
@testable import LinliCore

@Suite("XLSX codec")
struct XLSXCodecTests {
    @Test("a register typed in Excel reads as its text, row by row")
    func textRegister() throws {
        let rows = try XLSXCodec.decode(RegisterFixture.data("register.xlsx"))
        #expect(rows.count == 21)
        #expect(rows[0] == ["楼号", "室号", "姓名", "性别", "联系电话", "出生年份", "备注", "健康状况", "残疾情况"])
        #expect(rows[1] == ["3号楼", "101", "张桂英", "女", "13812345678", "1941", "独居", "高血压"])
        #expect(rows[19][6] == "备注含逗号, 和\n换行")
    }

    @Test("numbers typed into cells read as Excel shows them: no \".0\", no exponent, dates as dates")
    func numericCells() throws {
        let rows = try XLSXCodec.decode(RegisterFixture.data("register-numeric.xlsx"))
        #expect(rows[0] == ["XX居委会户籍底册（2022年4月）"])
        #expect(rows[2] == ["1", "3", "101", "张桂英", "女", "13812345678", "1941-03-05", "独居"])
        #expect(rows[3] == ["2", "3", "101", "李建国", "男", "13912345678", "1950-12-31"])
        #expect(rows[4] == ["3", "3", "201", "赵伟", "男", "13700001111", "1985", "租户"])
        #expect(rows[5] == [], "the blank row keeps its place")
        #expect(rows[6] == ["5", "5", "102", "冯小红", "女", "13500006666", "1992/7/8"])
        #expect(rows[7] == ["6", "5", "301", "卫芳", "女", "", "1966-01-01"])
        #expect(rows.count == 8, "the notes sheet after the register is not read")
    }

    @Test("shared strings, rich text, phonetic guides, prefixed elements and the 1904 date system")
    func handcraftedWorkbook() throws {
        let rows = try XLSXCodec.decode(RegisterFixture.data("workbook-handcrafted.xlsx"))
        #expect(rows == [
            ["楼号", "室号", "姓名", "", "备注"],
            ["3", "201", "王秀兰", "1904-01-01", "第一行\r\n第二行"],
            [],
            ["12", "68.9", "张三", "TRUE", "#N/A", "rich inline"],
            ["", "", "a & b <c>"],
        ])
    }

    @Test("without workbook relationships the first sheet is sheet1.xml")
    func fallbackSheet() throws {
        #expect(try XLSXCodec.decode(RegisterFixture.data("workbook-without-rels.xlsx")) == [["wrong sheet"]])
    }

    @Test("a zip that is not a workbook, and bytes that are not a zip, are not XLSX files",
          arguments: ["not-a-workbook.zip", "register-utf8-bom.csv"])
    func notAWorkbook(fileName: String) throws {
        let data = try RegisterFixture.data(fileName)
        #expect(throws: SpreadsheetError.notAnXLSXFile) { try XLSXCodec.decode(data) }
    }

    @Test("a truncated workbook is refused, not half read")
    func truncatedWorkbook() throws {
        let data = try RegisterFixture.data("register.xlsx")
        #expect(throws: SpreadsheetError.notAnXLSXFile) { try XLSXCodec.decode(data.prefix(data.count / 2)) }
    }

    @Test("a workbook without a sheet says so")
    func noWorksheet() throws {
        let data = try RegisterFixture.data("workbook-without-sheet.xlsx")
        #expect(throws: SpreadsheetError.noWorksheet) { try XLSXCodec.decode(data) }
    }

    @Test("broken XML names the damaged part")
    func malformedPart() throws {
        let data = try RegisterFixture.data("workbook-broken-shared-strings.xlsx")
        #expect(throws: SpreadsheetError.malformedXML(part: "xl/sharedStrings.xml")) { try XLSXCodec.decode(data) }
    }

    @Test("a part declaring a DTD is refused before parsing, so entity bombs never expand")
    func doctypeRefused() throws {
        let data = try RegisterFixture.data("workbook-with-doctype.xlsx")
        #expect(throws: SpreadsheetError.malformedXML(part: "xl/worksheets/data.xml")) { try XLSXCodec.decode(data) }
    }

    @Test("a part that claims to unpack to 300 MB is refused before it is unpacked")
    func zipBomb() throws {
        let data = try RegisterFixture.data("workbook-claims-300mb.xlsx")
        #expect(throws: SpreadsheetError.partTooLarge(part: "xl/worksheets/data.xml")) { try XLSXCodec.decode(data) }
    }

    @Test("an export keeps phone numbers, leading zeros and Chinese text exactly")
    func encodeKeepsText() throws {
        let rows = [
            ["楼号", "室号", "姓名", "电话"],
            ["3", "0201", "张桂英", "13812345678"],
            ["A座", "1502", "O'Brien & <Sons>", "02162345678"],
            ["", "", "", "=SUM(A1)"],
        ]
        let data = try XLSXCodec.encode(rows, sheetName: "户籍底册")
        #expect(SpreadsheetFormat.sniff(data) == .xlsx)
        #expect(try XLSXCodec.decode(data) == rows)
    }

    @Test("sheet names Excel would refuse are cleaned", arguments: [
        ("户籍底册", "户籍底册"),
        ("3/5号楼 [新]", "35号楼 新"),
        ("'quoted'", "quoted"),
        ("", "Sheet1"),
        (String(repeating: "长", count: 40), String(repeating: "长", count: 31)),
    ])
    func sheetNames(name: String, expected: String) {
        #expect(WorkbookWriter.validSheetName(name) == expected)
    }

    @Test("encode then decode gives back any table, trailing empty cells and rows aside")
    func roundTrip() async {
        let cell = Gen<Character?>.element(of: Array("a 张_x0041_&<\"\r\n\t\u{1}1") as [Character])
            .map { $0 ?? "a" }
            .string(of: 0...5)
        let rows = cell.array(of: 0...5).array(of: 0...6)
        await propertyCheck(count: 60, input: rows) { rows throws in
            let data = try XLSXCodec.encode(rows, sheetName: "Sheet1")
            #expect(try XLSXCodec.decode(data) == Self.trimmed(rows))
        }
    }

    /// What a sheet can hold: rows end at their last non-empty cell, the sheet at its last
    /// non-empty row.
    private static func trimmed(_ rows: [[String]]) -> [[String]] {
        var result = rows.map { row in Array(row[..<(row.lastIndex { !$0.isEmpty }.map { $0 + 1 } ?? 0)]) }
        while result.last?.isEmpty == true { result.removeLast() }
        return result
    }
}
