import Testing
@testable import LinliCore

@Suite("Register headers")
struct RegisterFieldTests {
    @Test("headers committees write are recognised", arguments: [
        ("楼号", RegisterField.building), ("楼栋", .building), ("幢", .building), ("号楼", .building),
        ("室号", .room), ("房号", .room), ("门牌", .room), ("房间号", .room),
        ("姓名", .name), ("名字", .name), ("性别", .gender),
        ("电话", .phone), ("手机", .phone), ("手机号", .phone), ("联系电话", .phone),
        ("出生年份", .birthYear), ("出生年", .birthYear), ("年份", .birthYear), ("出生日期", .birthYear),
        ("备注", .note), ("健康状况", .healthNote), ("健康情况", .healthNote), ("病史", .healthNote),
        ("残疾情况", .disabilityNote), ("残疾", .disabilityNote), ("失能", .disabilityNote), ("小区", .compound),
    ])
    func chineseHeaders(header: String, field: RegisterField) {
        #expect(RegisterField(header: header) == field)
    }

    @Test("English headers match whatever their case, spacing or underscores", arguments: [
        ("Building", RegisterField.building), ("ROOM", .room), (" name ", .name), ("Gender", .gender),
        ("phone", .phone), ("birth_year", .birthYear), ("Birth Year", .birthYear), ("note", .note),
        ("Health", .healthNote), ("disability", .disabilityNote),
    ])
    func englishHeaders(header: String, field: RegisterField) {
        #expect(RegisterField(header: header) == field)
    }

    @Test("full-width spaces and the required-column star are ignored")
    func decoratedHeaders() {
        #expect(RegisterField(header: "\u{3000}姓名\u{3000}") == .name)
        #expect(RegisterField(header: "楼 号") == .building)
        #expect(RegisterField(header: "姓名*") == .name)
        #expect(RegisterField(header: "手机号＊") == .phone)
    }

    @Test("columns the register does not know are not guessed at", arguments: ["序号", "民族", "身份证号", "", "names"])
    func unknownHeaders(header: String) {
        #expect(RegisterField(header: header) == nil)
    }

    @Test("an export's own headers read back as the same fields")
    func exportHeadersRoundTrip() {
        for field in RegisterField.allCases {
            #expect(RegisterField(header: field.chineseHeader) == field)
        }
    }

    @Test("only health and disability are sensitive")
    func sensitivity() {
        #expect(Set(RegisterField.allCases.filter(\.isSensitive)) == [.healthNote, .disabilityNote])
    }
}
