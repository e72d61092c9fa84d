import PropertyBased
import Testing
@testable import LinliCore

@Suite("Exporting the register")
struct RegisterExportTests {
    private let resident = RegisterRow(
        compound: "长宁小区", building: "3", room: "102", name: "王秀兰", gender: .female, phone: "13812345678",
        birthYear: 1938, note: "独居", healthNote: "糖尿病", disabilityNote: "行动不便", sourceRow: 2
    )

    @Test("an export has the Chinese header and one row per resident")
    func layout() {
        let rows = RegisterExport.rows([resident], maskPhones: false, includeSensitive: true)
        #expect(rows == [
            ["小区", "楼号", "室号", "姓名", "性别", "电话", "出生年份", "备注", "健康状况", "残疾情况"],
            ["长宁小区", "3", "102", "王秀兰", "女", "13812345678", "1938", "独居", "糖尿病", "行动不便"],
        ])
    }

    @Test("without sensitive data the health and disability columns are left out altogether")
    func withoutSensitive() {
        let rows = RegisterExport.rows([resident], maskPhones: true, includeSensitive: false)
        #expect(rows[0] == ["小区", "楼号", "室号", "姓名", "性别", "电话", "出生年份", "备注"])
        #expect(!rows[1].contains("糖尿病") && !rows[1].contains("行动不便"))
    }

    @Test("a masked export hides the middle of each mobile number")
    func masked() {
        let rows = RegisterExport.rows([resident, RegisterRow(building: "3", room: "101", name: "张三", sourceRow: 3)], maskPhones: true, includeSensitive: true)
        #expect(rows[1][5] == "138****5678")
        #expect(rows[2][5] == "")
    }

    @Test("a masked phone does not read back as a phone number")
    func maskedDoesNotImport() {
        let rows = RegisterExport.rows([resident], maskPhones: true, includeSensitive: true)
        let result = RegisterParser.parse(rows: rows, currentYear: 2022)
        #expect(result.issues.map(\.reason) == [.invalidPhone])
    }

    @Test("exporting and reading back any register gives the same residents")
    func roundTrip() async {
        await propertyCheck(count: 200, input: RegisterGen.register(currentYear: 2022)) { residents in
            let result = RegisterParser.parse(rows: RegisterExport.rows(residents, maskPhones: false, includeSensitive: true), currentYear: 2022)
            #expect(result.issues == [] || residents.isEmpty)
            #expect(result.rows == residents)
        }
    }

    @Test("the round trip holds through both file formats")
    func roundTripThroughFiles() async {
        await propertyCheck(count: 40, input: RegisterGen.register(currentYear: 2022)) { residents throws in
            let rows = RegisterExport.rows(residents, maskPhones: false, includeSensitive: true)
            for format in SpreadsheetFormat.allCases {
                let decoded = try Spreadsheet.decode(Spreadsheet.encode(rows, format: format), fileName: nil)
                #expect(RegisterParser.parse(rows: decoded, currentYear: 2022).rows == residents)
            }
        }
    }
}
