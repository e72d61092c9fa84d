import Foundation
import Testing
@testable import LinliCore

@Suite("Reading and writing the care register's file")
struct CareRegisterFileTests {
    static let header = ["楼号", "室号", "姓名", "类别", "残疾类别", "需要的技能", "风险等级", "发现途径", "知情同意", "备注", "最近联系"]

    @Test("every Chinese category word and every raw value reads as its category",
          arguments: [
              ("独居老人", CareCategory.elderlyAlone), ("临时独居", .temporarilyAlone), ("卧床", .bedBound), ("失智", .dementia), ("残疾", .disabled),
              ("无成人照看的儿童", .childWithoutAdult), ("孕妇", .pregnant), ("透析", .dialysis), ("化疗", .chemotherapy),
              ("其他重症治疗", .otherCriticalTreatment), ("无智能手机", .noSmartphone),
          ])
    func categoryWords(word: String, category: CareCategory) throws {
        for text in [word, category.rawValue, category.rawValue.uppercased(), Catalogue.text(category.catalogueKey, .en)] {
            let kind = category == .disabled ? "肢体" : ""
            let result = CareRegisterFile.parse(rows: [Self.header, ["3号楼", "201室", "王秀英", text, kind, "", "", "", "", "", ""]])
            #expect(result.issues.isEmpty, "\(text): \(result.issues)")
            #expect(result.rows.first?.categories == [category], "\(text)")
        }
    }

    @Test("a cell of several words, in any separator, reads all of them; skills in Chinese become their raw values, others stay as written")
    func lists() throws {
        let result = CareRegisterFile.parse(rows: [Self.header, ["3", "201", "王秀英", "独居老人、透析,无智能手机；卧床", "", "手语、司机，轮椅搬运", "危重", "医院转介", "本人同意", "", "2026-12-03 14:30"]])
        let row = try #require(result.rows.first, "\(result.issues)")
        #expect(row.categories == [.elderlyAlone, .dialysis, .noSmartphone, .bedBound])
        #expect(row.needs == ["sign_language", "driver", "轮椅搬运"])
        #expect(row.risk == .critical && row.source == .hospital && row.consentNote == "本人同意")
        #expect(row.lastContact.map(CareRegisterFile.contactText) == "2026-12-03 14:30")
        #expect(row.building == "3" && row.room == "201")
    }

    @Test("bad values are reported by row number and reason; nothing is dropped silently")
    func badRows() {
        let result = CareRegisterFile.parse(rows: [
            ["某某居委关爱名册"],
            Self.header,
            ["3", "201", "王秀英", "独居老人", "", "", "高", "", "", "", ""],
            ["3", "202", "李建国", "外星人", "", "", "", "", "", "", ""],
            ["3", "203", "", "透析", "", "", "", "", "", "", ""],
            ["3", "204", "赵敏", "孕妇", "", "", "很高", "路过", "", "", "昨天"],
            ["", "", "", "", "", "", "", "", "", "", ""],
            ["3", "201", "王秀英", "卧床", "", "", "", "", "", "", ""],
        ])
        #expect(result.rows.map(\.name) == ["王秀英"])
        let found = Set(result.issues.map { "\($0.row) \($0.reason.rawValue)" })
        #expect(found == ["4 unknown_category", "5 missing_value", "6 unknown_risk", "6 unknown_source", "6 invalid_date", "8 duplicate_person"])
        let message = result.issues.first { $0.reason == .unknownCategory }?.message(in: .zhHans) ?? ""
        #expect(message.contains("第 4 行") && message.contains("外星人"))
    }

    @Test("a file without the required headers names each missing column")
    func missingHeader() {
        let result = CareRegisterFile.parse(rows: [["楼号", "姓名"], ["3", "王秀英"]])
        #expect(result.rows.isEmpty)
        #expect(Set(result.issues.compactMap(\.field)) == [.room, .categories])
        #expect(result.issues.allSatisfy { $0.reason == .missingHeader })
    }

    @Test("contact times are read and written at UTC+8 to the minute, and impossible dates are refused")
    func times() throws {
        let date = try #require(CareRegisterFile.contactDate("2026/2/28 9:05"))
        #expect(date == Date(timeIntervalSince1970: 1_772_240_700))
        #expect(CareRegisterFile.contactText(date) == "2026-02-28 09:05")
        #expect(CareRegisterFile.contactDate("2026-12-03").map(CareRegisterFile.contactText) == "2026-12-03 00:00")
        for bad in ["2026-02-30", "2026-13-01", "1999-01-01", "2026-01-01 25:00", "明天", "2026-01-01 10", "99999999999-01-01"] {
            #expect(CareRegisterFile.contactDate(bad) == nil, "\(bad)")
        }
    }

    static func entry(_ id: Int64, resident: Int64, categories: [CareCategory], risk: CareRisk = .medium, needs: [String] = [], lastContact: Date? = nil) -> CareEntry {
        CareEntry(id: CareEntryID(id), residentID: ResidentID(resident), householdID: PlaceID(100 + resident), categories: categories,
                  disabilityKind: categories.contains(.disabled) ? "视力" : nil, needs: needs, risk: risk, source: .neighbour, consentNote: "家属同意", note: "每天电话\n下午复查",
                  lastContactAt: lastContact, path: PlacePath(rawValue: "/1/2/\(100 + resident)"), districtID: PlaceID(1), createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))
    }

    static func resident(_ id: Int64, building: String, room: String, name: String) -> CareRegisterResident {
        CareRegisterResident(id: ResidentID(id), householdID: PlaceID(100 + id), key: PersonKey(household: HouseholdKey(compound: "幸福小区", building: building, room: room), name: name),
                             path: PlacePath(rawValue: "/1/2/\(100 + id)"), districtID: PlaceID(1))
    }

    @Test("an exported register imports back with no change, in CSV and XLSX")
    func roundTrip() throws {
        let now = Date(timeIntervalSince1970: 1_765_000_000)
        let residents = [Self.resident(1, building: "3", room: "201", name: "王秀英"), Self.resident(2, building: "3", room: "202", name: "李建国"), Self.resident(3, building: "A座", room: "101", name: "赵 敏")]
        let entries = [
            Self.entry(1, resident: 1, categories: [.elderlyAlone, .dialysis], risk: .critical, needs: ["driver", "轮椅搬运"], lastContact: Date(timeIntervalSince1970: 1_764_990_123.456)),
            Self.entry(2, resident: 2, categories: [.disabled, .noSmartphone], risk: .low, needs: ["sign_language"]),
            Self.entry(3, resident: 3, categories: CareCategory.allCases.filter { $0 != .disabled }, risk: .high, needs: ["medical", "dialect"]),
        ]
        let lines = zip(residents, entries).map { resident, entry in
            CareRegisterFile.Line(compound: "幸福小区", building: resident.key.household.building, room: resident.key.household.room, name: resident.key.name, phone: "13912345678", entry: entry)
        }
        let rows = CareRegisterFile.rows(lines, maskPhones: true)
        #expect(rows[0] == CareRegisterField.allCases.map(\.chineseHeader))
        #expect(rows[1][4] == "139****5678")
        #expect(rows[1][5] == "独居老人、透析")
        for format in SpreadsheetFormat.allCases {
            let decoded = try Spreadsheet.decode(try Spreadsheet.encode(rows, format: format), fileName: "care.\(format.rawValue)")
            let parsed = CareRegisterFile.parse(rows: decoded)
            #expect(parsed.issues.isEmpty, "\(format): \(parsed.issues)")
            let plan = CareRegisterImport.plan(rows: parsed.rows, residents: residents, entries: Dictionary(uniqueKeysWithValues: entries.map { ($0.residentID, $0) }), now: now)
            #expect(plan.changes.isEmpty && plan.issues.isEmpty && plan.unchanged == 3, "\(format): \(plan)")
            // Into an empty register, the same file creates the same entries.
            let fresh = CareRegisterImport.plan(rows: parsed.rows, residents: residents, entries: [:], now: now)
            let created = fresh.changes.compactMap { change -> (ResidentID, CareEntryDraft)? in
                if case .create(let resident, let draft, _, _) = change { return (resident.id, draft) }
                return nil
            }
            #expect(created.map(\.0) == entries.map(\.residentID))
            #expect(created.map(\.1) == entries.map { CareEntryDraft($0) }, "\(format)")
        }
    }

    @Test("an import matches residents by building, room and name; an unknown person or a broken rule is an issue, an empty cell keeps what is there")
    func importPlan() throws {
        let now = Date(timeIntervalSince1970: 1_765_000_000)
        let residents = [Self.resident(1, building: "3", room: "201", name: "王秀英"), Self.resident(2, building: "3", room: "202", name: "李建国")]
        let existing = Self.entry(7, resident: 1, categories: [.dialysis], risk: .critical)
        let rows = [
            CareRegisterRow(building: "3", room: "201", name: "王秀英", categories: nil, risk: .high, sourceRow: 2),
            CareRegisterRow(building: "3", room: "202", name: "李建国", categories: [.disabled], sourceRow: 3),
            CareRegisterRow(building: "3", room: "203", name: "张三", categories: [.pregnant], sourceRow: 4),
            CareRegisterRow(building: "3", room: "202", name: "李建国", categories: [.bedBound], sourceRow: 5),
        ]
        let plan = CareRegisterImport.plan(rows: rows, residents: residents, entries: [ResidentID(1): existing], now: now)
        #expect(plan.issues.map { "\($0.row) \($0.reason.rawValue) \($0.field?.rawValue ?? "")" } == ["3 invalid_entry disability_kind", "4 no_such_resident name", "5 duplicate_person name"])
        #expect(plan.issues[0].message(in: .zhHans).contains("残疾类别"))
        guard case .update(let before, let after, 2)? = plan.changes.first, plan.changes.count == 1 else {
            Issue.record("expected one update, got \(plan.changes)")
            return
        }
        #expect(before == existing)
        #expect(after.risk == .high && after.categories == [.dialysis] && after.note == existing.note)
    }

    @Test("a draft is checked field by field")
    func draftRules() throws {
        func field(_ draft: CareEntryDraft) -> String? {
            do { _ = try draft.validated(); return nil } catch { return error.field }
        }
        #expect(field(CareEntryDraft(categories: [], risk: .low, source: .survey)) == "categories")
        #expect(field(CareEntryDraft(categories: [.disabled], risk: .low, source: .survey)) == "disability_kind")
        #expect(field(CareEntryDraft(categories: [.dementia], disabilityKind: "视力", risk: .low, source: .survey)) == "disability_kind")
        #expect(field(CareEntryDraft(categories: [.dementia], needs: (1...9).map { "技能\($0)" }, risk: .low, source: .survey)) == "needs")
        #expect(field(CareEntryDraft(categories: [.dementia], needs: [String(repeating: "长", count: 21)], risk: .low, source: .survey)) == "needs")
        #expect(field(CareEntryDraft(categories: [.dementia], risk: .low, source: .survey, note: String(repeating: "字", count: 501))) == "note")
        let valid = try CareEntryDraft(categories: [.noSmartphone, .dementia, .dementia], needs: [" driver ", "driver", ""], risk: .low, source: .survey, consentNote: "  ").validated()
        #expect(valid.categories == [.dementia, .noSmartphone] && valid.needs == ["driver"] && valid.consentNote == nil)
    }

    @Test("days since contact and the overdue threshold")
    func overdue() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(CareRegister.daysSinceContact(nil, now: now) == nil)
        #expect(CareRegister.isContactOverdue(nil, now: now))
        #expect(CareRegister.daysSinceContact(now.addingTimeInterval(-2.9 * 86_400), now: now) == 2)
        #expect(!CareRegister.isContactOverdue(now.addingTimeInterval(-2.9 * 86_400), now: now))
        #expect(CareRegister.isContactOverdue(now.addingTimeInterval(-3 * 86_400), now: now))
        #expect(CareRegister.daysSinceContact(Date.distantPast, now: now) == 100_000)
    }
}

@Suite("Urgency from the care register")
struct CareRegisterUrgencyTests {
    @Test("a registered treatment is life-critical for the needs that serve it and urgent for the rest",
          arguments: [(CareCategory.dialysis, UrgencyTrigger.dialysis), (.chemotherapy, .chemotherapy), (.otherCriticalTreatment, .criticalTreatment), (.pregnant, .pregnancy)])
    func treatments(category: CareCategory, trigger: UrgencyTrigger) {
        let care = [CareUrgencyFacts(categories: [.elderlyAlone, category], risk: .medium)]
        let transport = UrgencyRules.propose(category: .transport, description: "需要用车", care: care)
        #expect(transport.urgency == .lifeCritical)
        #expect(transport.findings == [UrgencyFinding(trigger: trigger, source: .careRegister, urgency: .lifeCritical)])
        #expect(UrgencyRules.propose(category: .food, description: "需要蔬菜", care: care).urgency == .urgent)
    }

    @Test("risk critical proposes life-critical whatever the need; high proposes urgent; the rest add nothing")
    func risk() {
        #expect(UrgencyRules.propose(category: .food, description: "需要蔬菜", care: [CareUrgencyFacts(categories: [.elderlyAlone], risk: .critical)]).findings
            == [UrgencyFinding(trigger: .criticalRisk, source: .careRegister, urgency: .lifeCritical)])
        #expect(UrgencyRules.propose(category: .food, description: "需要蔬菜", care: [CareUrgencyFacts(categories: [.elderlyAlone], risk: .high)]).urgency == .urgent)
        #expect(UrgencyRules.propose(category: .food, description: "需要蔬菜", care: [CareUrgencyFacts(categories: [.elderlyAlone, .noSmartphone], risk: .medium)]).urgency == .normal)
        // The highest risk of the household counts.
        #expect(UrgencyRules.propose(category: .other, description: "咨询", care: [CareUrgencyFacts(categories: [.dementia], risk: .low), CareUrgencyFacts(categories: [.bedBound], risk: .critical)]).urgency == .lifeCritical)
    }
}
