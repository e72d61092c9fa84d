import Foundation
import Testing
@testable import LinliCore

@Suite("Reading a household register")
struct RegisterParserTests {
    private let header = ["楼号", "室号", "姓名", "性别", "电话", "出生年份"]

    private func parse(_ rows: [[String]], currentYear: Int = 2022) -> RegisterParseResult {
        RegisterParser.parse(rows: rows, currentYear: currentYear)
    }

    private func parseFixture(_ name: String) throws -> RegisterParseResult {
        let rows = try Spreadsheet.decode(RegisterFixture.data(name), fileName: name)
        return parse(rows)
    }

    @Test("a committee's Excel register reads as twenty residents in three buildings")
    func excelRegister() throws {
        let result = try parseFixture("register.xlsx")
        #expect(result.issues == [])
        #expect(result.warnings == [])
        #expect(result.rows.count == 20)
        #expect(Set(result.rows.map(\.building)) == ["3", "5", "12"])
        #expect(Set(result.rows.map(\.householdKey)).count == 16)
        #expect(result.presentFields == [.building, .room, .name, .gender, .phone, .birthYear, .note, .healthNote, .disabilityNote])
        #expect(result.rows[2] == RegisterRow(
            building: "3", room: "102", name: "王秀兰", gender: .female, phone: "02162345678", birthYear: 1938,
            note: "独居老人", healthNote: "糖尿病，需胰岛素", disabilityNote: "行动不便", sourceRow: 4
        ))
        #expect(result.rows[3].room == "201", "201室 is room 201")
        #expect(result.rows[5].phone == "13600003333", "+86 and spaces are dropped")
        #expect(result.rows.map(\.sourceRow) == Array(2...21))
    }

    @Test("the CSV exports of the same register, UTF-8 with BOM and GB18030, read the same",
          arguments: ["register-utf8-bom.csv", "register-gb18030.csv"])
    func csvRegisters(fileName: String) throws {
        let fromExcel = try parseFixture("register.xlsx")
        let fromCSV = try parseFixture(fileName)
        #expect(fromCSV.issues == [])
        #expect(fromCSV.rows == fromExcel.rows)
    }

    @Test("numbers and dates typed into Excel read as phones and birth years, below a title row")
    func numericRegister() throws {
        let result = try parseFixture("register-numeric.xlsx")
        #expect(result.issues == [])
        #expect(result.warnings == [RegisterWarning(column: 1, header: "序号", reason: .unknownHeader)])
        #expect(result.rows.map(\.sourceRow) == [3, 4, 5, 7, 8])
        #expect(result.rows.map(\.birthYear) == [1941, 1950, 1985, 1992, 1966])
        #expect(result.rows.map(\.phone) == ["13812345678", "13912345678", "13700001111", "13500006666", nil])
        #expect(result.rows.map(\.building) == ["3", "3", "3", "5", "5"])
        #expect(result.rows.map(\.room) == ["101", "101", "201", "102", "301"])
    }

    @Test("a mistyped phone in row 7 is reported against row 7, and the other nineteen still read")
    func badRow() throws {
        let result = try parseFixture("register-bad-row.xlsx")
        #expect(result.issues == [RegisterIssue(row: 7, field: .phone, reason: .invalidPhone, value: "1360000333")])
        #expect(result.rows.count == 19)
        #expect(!result.rows.contains { $0.sourceRow == 7 })
    }

    @Test("a file without building, room or name columns is refused, naming each missing column")
    func missingHeaders() {
        let result = parse([["姓名", "电话"], ["张三", "13812345678"]])
        #expect(result.rows == [])
        #expect(result.issues == [
            RegisterIssue(row: 1, field: .building, reason: .missingHeader),
            RegisterIssue(row: 1, field: .room, reason: .missingHeader),
        ])
    }

    @Test("an empty file, a blank sheet and a header without residents are all empty", arguments: [
        [[String]](), [[""], ["  ", "\u{3000}"]], [["楼号", "室号", "姓名"]], [["楼号", "室号", "姓名"], [], ["", "", ""]],
    ])
    func emptyFiles(rows: [[String]]) {
        let result = parse(rows)
        #expect(result.rows == [])
        #expect(result.issues == [RegisterIssue(row: 0, field: nil, reason: .emptyFile)])
    }

    @Test("blank rows, and rows with only a serial number, are skipped without a word")
    func blankRows() {
        let result = parse([
            ["序号", "楼号", "室号", "姓名"],
            ["1", "3", "101", "张三"],
            [],
            ["2", "", " ", ""],
            ["3", "3", "102", "李四"],
        ])
        #expect(result.issues == [])
        #expect(result.rows.map(\.sourceRow) == [2, 5])
    }

    @Test("a row missing building, room or name is reported, once per missing value")
    func missingValues() {
        let result = parse([header, ["3", "", "", "男"]])
        #expect(result.rows == [])
        #expect(result.issues == [
            RegisterIssue(row: 2, field: .room, reason: .missingValue),
            RegisterIssue(row: 2, field: .name, reason: .missingValue),
        ])
    }

    @Test("every problem of a row is reported, not only the first")
    func severalIssues() {
        let result = parse([header, ["3", "101", "张三", "未知", "12345", "1850"]])
        #expect(result.issues.map(\.reason) == [.invalidGender, .invalidPhone, .invalidBirthYear])
        #expect(result.issues.map(\.value) == ["未知", "12345", "1850"])
    }

    @Test("birth years are checked against the year passed in, not the machine's clock")
    func currentYearIsAParameter() {
        let rows = [header, ["3", "101", "张三", "", "", "2024"]]
        #expect(parse(rows, currentYear: 2024).rows.first?.birthYear == 2024)
        #expect(parse(rows, currentYear: 2023).issues.map(\.reason) == [.invalidBirthYear])
    }

    @Test("a name longer than forty characters is too long, and its value is shortened in the issue")
    func tooLong() throws {
        let name = String(repeating: "长", count: 100)
        let result = parse([header, ["3", "101", name]])
        let issue = try #require(result.issues.first)
        #expect(issue.reason == .tooLong && issue.field == .name)
        #expect((issue.value?.count ?? 0) < 100)
        #expect(parse([header, ["3", "101", String(repeating: "长", count: 40)]]).issues == [])
    }

    @Test("the same person twice in a flat is reported on the second row; the first is kept")
    func duplicatePerson() {
        let result = parse([header, ["3号楼", "101", "张三"], ["3栋", "101室", "张三"], ["3", "102", "张三"]])
        #expect(result.rows.map(\.sourceRow) == [2, 4])
        #expect(result.issues == [RegisterIssue(row: 3, field: .name, reason: .duplicatePerson, value: "张三")])
    }

    @Test("unknown and repeated columns are ignored with a warning")
    func headerWarnings() {
        let result = parse([["楼号", "民族", "室号", "姓名", "楼栋"], ["3", "汉", "101", "张三", "5"]])
        #expect(result.rows.map(\.building) == ["3"])
        #expect(result.warnings == [
            RegisterWarning(column: 2, header: "民族", reason: .unknownHeader),
            RegisterWarning(column: 5, header: "楼栋", reason: .duplicateHeader),
        ])
        #expect(result.warnings[0].message(in: .zhHans).contains("B"))
    }

    @Test("rows shorter than the header read their missing cells as empty")
    func shortRows() {
        let result = parse([header, ["3", "101", "张三"]])
        #expect(result.rows == [RegisterRow(building: "3", room: "101", name: "张三", sourceRow: 2)])
    }

    @Test("without a 小区 column nobody has a compound; with one, blanks stay unknown")
    func compoundColumn() {
        #expect(parse([header, ["3", "101", "张三"]]).rows.first?.compound == nil)
        let result = parse([["小区"] + header, ["长宁小区", "3", "101", "张三"], ["", "3", "102", "李四"]])
        #expect(result.rows.map(\.compound) == ["长宁小区", nil])
    }

    @Test("issue messages name the row, the field and the value in both languages")
    func issueMessages() {
        let issue = RegisterIssue(row: 7, field: .phone, reason: .invalidPhone, value: "1360000333")
        #expect(issue.message(in: .zhHans).contains("第 7 行"))
        #expect(issue.message(in: .zhHans).contains("1360000333"))
        #expect(issue.message(in: .en).contains("Row 7"))
        let missing = RegisterIssue(row: 2, field: .room, reason: .missingValue)
        #expect(missing.message(in: .zhHans) == "第 2 行：室号不能为空")
        #expect(missing.message(in: .en) == "Row 2: Room is required")
    }

    @Test("issues travel as JSON with stable names")
    func issueCoding() throws {
        let issue = RegisterIssue(row: 7, field: .birthYear, reason: .invalidBirthYear, value: "1850")
        let json = try #require(String(data: JSONEncoder().encode(issue), encoding: .utf8))
        #expect(json.contains("\"birth_year\"") && json.contains("\"invalid_birth_year\""))
        #expect(try JSONDecoder().decode(RegisterIssue.self, from: Data(json.utf8)) == issue)
    }
}
