import Testing
@testable import LinliCore

@Suite("Register texts")
struct RegisterCatalogueTests {
    @Test("every register field has a name in both languages", arguments: RegisterField.allCases)
    func fieldNames(field: RegisterField) throws {
        let entry = try #require(Catalogue.all[field.catalogueKey])
        #expect(!entry.zhHans.isEmpty && !entry.en.isEmpty)
    }

    @Test("every issue reason has a message in both languages with no placeholder left unfilled",
          arguments: RegisterIssueReason.allCases, Language.allCases)
    func issueMessages(reason: RegisterIssueReason, language: Language) {
        #expect(Catalogue.all[reason.catalogueKey] != nil, "missing \(reason.catalogueKey)")
        let message = RegisterIssue(row: 7, field: .phone, reason: reason, value: "x").message(in: language)
        #expect(!message.contains("{"))
    }

    @Test("every header warning has a message in both languages", arguments: RegisterWarning.Reason.allCases, Language.allCases)
    func warningMessages(reason: RegisterWarning.Reason, language: Language) {
        #expect(Catalogue.all[reason.catalogueKey] != nil, "missing \(reason.catalogueKey)")
        let message = RegisterWarning(column: 3, header: "民族", reason: reason).message(in: language)
        #expect(message.contains("民族") && message.contains("C") && !message.contains("{"))
    }

    @Test("the register and spreadsheet sections do not reuse each other's or other sections' keys")
    func noCollisions() {
        let total = Catalogue.sections.reduce(0) { $0 + $1.count }
        #expect(Catalogue.all.count == total)
    }
}
