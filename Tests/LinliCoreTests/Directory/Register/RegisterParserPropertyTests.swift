import PropertyBased
import Testing
@testable import LinliCore

@Suite("Nothing in a register is dropped silently")
struct RegisterParserPropertyTests {
    private static let header = ["序号", "小区", "楼号", "室号", "姓名", "性别", "电话", "出生年份", "备注", "健康状况", "残疾情况"]

    @Test("every row with content is either imported or has an issue, and never both")
    func everyRowAccountedFor() async {
        let table = RegisterGen.anyCell.array(of: 0...11).array(of: 0...30)
        await propertyCheck(count: 300, input: table) { body in
            let result = RegisterParser.parse(rows: [Self.header] + body, currentYear: 2022)
            let imported = Set(result.rows.map(\.sourceRow))
            let reported = Set(result.issues.map(\.row))
            #expect(imported.isDisjoint(with: reported))
            for (index, row) in body.enumerated() {
                // Column 0 is 序号, which the register does not read.
                let hasContent = row.dropFirst().contains { !RegisterValue.trimmed($0).isEmpty }
                let sourceRow = index + 2
                if hasContent {
                    #expect(imported.contains(sourceRow) || reported.contains(sourceRow), "row \(sourceRow) vanished: \(row)")
                } else {
                    #expect(!imported.contains(sourceRow) && !reported.contains(sourceRow))
                }
            }
        }
    }

    @Test("parsing never keeps two rows for the same person")
    func peopleAreUnique() async {
        let table = RegisterGen.anyCell.array(of: 11).array(of: 0...30)
        await propertyCheck(count: 200, input: table) { body in
            let rows = RegisterParser.parse(rows: [Self.header] + body, currentYear: 2022).rows
            #expect(Set(rows.map(\.personKey)).count == rows.count)
        }
    }
}
