import Foundation

/// A column of the care register as committees keep it in Excel. The person is found by 楼号,
/// 室号 and 姓名 (and 小区 when the file spans compounds); 电话 is there to call them and is
/// never imported: the household register owns phone numbers.
public enum CareRegisterField: String, Sendable, Hashable, Codable, CaseIterable {
    case compound, building, room, name, phone, categories
    case disabilityKind = "disability_kind"
    case needs, risk, source
    case consentNote = "consent_note"
    case note
    case lastContact = "last_contact"

    public static let required: Set<CareRegisterField> = [.building, .room, .name, .categories]

    public var chineseHeader: String {
        switch self {
        case .compound: "小区"
        case .building: "楼号"
        case .room: "室号"
        case .name: "姓名"
        case .phone: "电话"
        case .categories: "类别"
        case .disabilityKind: "残疾类别"
        case .needs: "需要的技能"
        case .risk: "风险等级"
        case .source: "发现途径"
        case .consentNote: "知情同意"
        case .note: "备注"
        case .lastContact: "最近联系"
        }
    }

    public var catalogueKey: String { "care.register.field.\(rawValue)" }

    private var aliases: [String] {
        switch self {
        case .compound: ["小区", "小区名称", "compound"]
        case .building: ["楼号", "楼栋", "楼栋号", "栋", "幢", "building"]
        case .room: ["室号", "房号", "门牌号", "room"]
        case .name: ["姓名", "name"]
        case .phone: ["电话", "手机", "手机号", "联系电话", "phone"]
        case .categories: ["类别", "类型", "关爱类别", "categories", "category"]
        case .disabilityKind: ["残疾类别", "残疾类型", "disabilitykind"]
        case .needs: ["需要的技能", "所需技能", "需要", "needs"]
        case .risk: ["风险等级", "风险", "risk"]
        case .source: ["发现途径", "来源", "source"]
        case .consentNote: ["知情同意", "同意情况", "consent", "consentnote"]
        case .note: ["备注", "note"]
        case .lastContact: ["最近联系", "最近联系时间", "上次联系", "lastcontact"]
        }
    }

    private static let byHeader: [String: CareRegisterField] = Dictionary(
        allCases.flatMap { field in field.aliases.map { (RegisterField.normalisedHeader($0), field) } }, uniquingKeysWith: { first, _ in first }
    )

    public init?(header: String) {
        guard let field = Self.byHeader[RegisterField.normalisedHeader(header)] else { return nil }
        self = field
    }
}

/// One line of an uploaded care register. Empty cells are nil: on an import they leave what the
/// register holds as it is.
public struct CareRegisterRow: Sendable, Hashable {
    public var compound: String?
    public var building: String
    public var room: String
    public var name: String
    public var categories: [CareCategory]?
    public var disabilityKind: String?
    public var needs: [String]?
    public var risk: CareRisk?
    public var source: CareSource?
    public var consentNote: String?
    public var note: String?
    public var lastContact: Date?
    /// The 1-based spreadsheet row (the header is row 1 unless titles sit above it).
    public var sourceRow: Int

    public init(compound: String? = nil, building: String, room: String, name: String, categories: [CareCategory]? = nil, disabilityKind: String? = nil, needs: [String]? = nil,
                risk: CareRisk? = nil, source: CareSource? = nil, consentNote: String? = nil, note: String? = nil, lastContact: Date? = nil, sourceRow: Int) {
        self.compound = compound
        self.building = building
        self.room = room
        self.name = name
        self.categories = categories
        self.disabilityKind = disabilityKind
        self.needs = needs
        self.risk = risk
        self.source = source
        self.consentNote = consentNote
        self.note = note
        self.lastContact = lastContact
        self.sourceRow = sourceRow
    }

    public var personKey: PersonKey { PersonKey(household: HouseholdKey(compound: compound, building: building, room: room), name: name) }
}

public enum CareRegisterIssueReason: String, Sendable, Hashable, Codable, CaseIterable {
    case missingHeader = "missing_header"
    case emptyFile = "empty_file"
    case missingValue = "missing_value"
    case unknownCategory = "unknown_category"
    case unknownRisk = "unknown_risk"
    case unknownSource = "unknown_source"
    case invalidDate = "invalid_date"
    case tooLong = "too_long"
    /// No resident of the place has this building, room and name.
    case noSuchResident = "no_such_resident"
    /// The same person twice in the file.
    case duplicatePerson = "duplicate_person"
    /// The row, merged with the register, breaks a rule of the register (`ruleKey`).
    case invalidEntry = "invalid_entry"

    public var catalogueKey: String { "care.register.issue.\(rawValue)" }
}

/// Why one row of an uploaded care register cannot be imported, by its row number.
public struct CareRegisterIssue: Sendable, Hashable, Codable {
    public var row: Int
    public var field: CareRegisterField?
    public var reason: CareRegisterIssueReason
    public var value: String?
    /// For `invalidEntry`: the broken rule's catalogue key and arguments.
    public var ruleKey: String?
    public var ruleArguments: [String: String]?

    enum CodingKeys: String, CodingKey { case row, field, reason, value, ruleKey = "rule_key", ruleArguments = "rule_arguments" }

    public init(row: Int, field: CareRegisterField?, reason: CareRegisterIssueReason, value: String? = nil, ruleKey: String? = nil, ruleArguments: [String: String]? = nil) {
        self.row = row
        self.field = field
        self.reason = reason
        self.value = value
        self.ruleKey = ruleKey
        self.ruleArguments = ruleArguments
    }

    public func message(in language: Language) -> String {
        let fieldText = field.map { Catalogue.text($0.catalogueKey, language) } ?? ""
        let rule = ruleKey.map { Catalogue.text($0, language, (ruleArguments ?? [:]).merging(["field": fieldText]) { first, _ in first }) } ?? ""
        return Catalogue.text(reason.catalogueKey, language, ["row": String(row), "field": fieldText, "value": value ?? "", "rule": rule])
    }
}

public struct CareRegisterParseResult: Sendable, Hashable {
    public var rows: [CareRegisterRow]
    public var issues: [CareRegisterIssue]
    public var presentFields: Set<CareRegisterField>
}

/// Reads and writes the care register's spreadsheet. Words are the ones committees write
/// (独居老人, 透析, 高) and the raw values of the API (`elderly_alone`, `dialysis`, `high`), so
/// an export reads back as it was and a file made by hand or by a script imports too.
public enum CareRegisterFile {
    /// Cells holding several values separate them with any of these; exports use "、".
    static let separators: Set<Character> = ["、", ",", "，", ";", "；", "/", "\n"]
    static let listJoiner = "、"

    // MARK: Words

    /// Chinese, English and raw words for each category; the first Chinese one is what exports write.
    static let categoryWords: [String: CareCategory] = words(CareCategory.allCases, key: \.catalogueKey, extra: [
        "独居": .elderlyAlone, "独居老年人": .elderlyAlone, "空巢老人": .elderlyAlone, "临时独居老人": .temporarilyAlone, "卧床不起": .bedBound,
        "失智老人": .dementia, "认知障碍": .dementia, "阿尔茨海默": .dementia, "残障": .disabled, "残疾人": .disabled, "留守儿童": .childWithoutAdult,
        "无人照看的儿童": .childWithoutAdult, "孕产妇": .pregnant, "血透": .dialysis, "腹透": .dialysis, "放化疗": .chemotherapy,
        "重症治疗": .otherCriticalTreatment, "无智能手机": .noSmartphone, "没有智能手机": .noSmartphone,
    ])
    static let riskWords: [String: CareRisk] = words(CareRisk.allCases, key: \.catalogueKey, extra: [
        "低风险": .low, "中风险": .medium, "中等": .medium, "高风险": .high, "极高": .critical, "危急": .critical,
    ])
    static let sourceWords: [String: CareSource] = words(CareSource.allCases, key: \.catalogueKey, extra: [
        "摸排发现": .survey, "入户摸排": .survey, "邻居": .neighbour, "本人": .self, "自己": .self, "家属申报": .self, "医院": .hospital,
    ])
    /// Needs in Chinese; any other word is kept as written.
    static let needWords: [String: String] = [
        "医疗": "medical", "医护": "medical", "懂医": "medical", "手语": "sign_language", "方言": "dialect", "上海话": "dialect",
        "司机": "driver", "驾驶": "driver", "开车": "driver", "会开车": "driver",
    ]

    private static func words<T: RawRepresentable & Hashable>(_ all: [T], key: (T) -> String, extra: [String: T]) -> [String: T] where T.RawValue == String {
        var table: [String: T] = [:]
        for (word, value) in extra { table[normalised(word)] = value }
        for value in all {
            table[normalised(value.rawValue)] = value
            table[normalised(Catalogue.text(key(value), .en))] = value
            table[normalised(Catalogue.text(key(value), .zhHans))] = value
        }
        return table
    }

    /// Lowercased, without spaces, underscores or hyphens: "Elderly living alone" and
    /// "elderly_alone" both read.
    static func normalised(_ word: String) -> String {
        String(word.precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars.filter { scalar in
            !(CharacterSet.whitespacesAndNewlines.contains(scalar) || scalar == "_" || scalar == "-")
        })
    }

    public static func categoryWord(_ category: CareCategory) -> String { Catalogue.text(category.catalogueKey, .zhHans) }
    public static func riskWord(_ risk: CareRisk) -> String { Catalogue.text(risk.catalogueKey, .zhHans) }
    public static func sourceWord(_ source: CareSource) -> String { Catalogue.text(source.catalogueKey, .zhHans) }
    public static func needWord(_ need: String) -> String {
        CareRegister.knownNeeds.contains(need) ? Catalogue.text("care.register.need.\(need)", .zhHans) : need
    }

    public static func need(fromWord word: String) -> String {
        if let known = needWords[normalised(word)] { return known }
        if let known = CareRegister.knownNeeds.first(where: { normalised($0) == normalised(word) || normalised(Catalogue.text("care.register.need.\($0)", .zhHans)) == normalised(word) }) { return known }
        return word
    }

    static func list(_ cell: String) -> [String] {
        cell.split(whereSeparator: { separators.contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    // MARK: Times

    /// China has one time zone and no summer time: times are written at UTC+8, to the minute.
    static let chinaOffset: TimeInterval = 8 * 3600

    public static func contactText(_ date: Date) -> String {
        let local = Int((date.timeIntervalSince1970 + chinaOffset).rounded(.down))
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let seconds = local - days * 86_400
        let civil = CivilDate(daysSinceUnixEpoch: days)
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(civil.year, 4))-\(padded(civil.month, 2))-\(padded(civil.day, 2)) \(padded(seconds / 3600, 2)):\(padded(seconds % 3600 / 60, 2))"
    }

    /// "2026-12-03 14:30", "2026/12/3 9:05", "2026-12-03" (midnight), at UTC+8; nil for anything
    /// else or a date outside 2000–2100.
    public static func contactDate(_ cell: String) -> Date? {
        let text = cell.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces)
        let halves = text.split(separator: " ", omittingEmptySubsequences: true)
        guard (1...2).contains(halves.count) else { return nil }
        let dateParts = halves[0].split(whereSeparator: { "-/.年月日".contains($0) })
        guard dateParts.count == 3, dateParts.allSatisfy({ (1...4).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(dateParts[0]), let month = Int(dateParts[1]), let day = Int(dateParts[2]),
              (2000...2100).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var hour = 0, minute = 0
        if halves.count == 2 {
            let timeParts = halves[1].split(separator: ":")
            guard (2...3).contains(timeParts.count), timeParts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  let h = Int(timeParts[0]), let m = Int(timeParts[1]), (0...23).contains(h), (0...59).contains(m) else { return nil }
            (hour, minute) = (h, m)
        }
        guard let days = daysSinceEpoch(year: year, month: month, day: day) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3600 + minute * 60) - chinaOffset)
    }

    /// Howard Hinnant's `days_from_civil`; nil for a day the month does not have.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int? {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let back = CivilDate(daysSinceUnixEpoch: days)
        return back.year == year && back.month == month && back.day == day ? days : nil
    }

    // MARK: Reading

    static let headerSearchDepth = 10

    /// Every row either comes back as a `CareRegisterRow` or is named in an issue with its row
    /// number and reason; blank rows are skipped.
    public static func parse(rows: [[String]]) -> CareRegisterParseResult {
        let blank: ([String]) -> Bool = { $0.allSatisfy { RegisterValue.trimmed($0).isEmpty } }
        guard let firstFilled = rows.firstIndex(where: { !blank($0) }) else {
            return CareRegisterParseResult(rows: [], issues: [CareRegisterIssue(row: 0, field: nil, reason: .emptyFile)], presentFields: [])
        }
        let headerIndex = rows.indices.prefix(headerSearchDepth).first { index in
            CareRegisterField.required.isSubset(of: Set(rows[index].compactMap { CareRegisterField(header: RegisterValue.trimmed($0)) }))
        } ?? firstFilled
        var columns: [CareRegisterField: Int] = [:]
        for (column, cell) in rows[headerIndex].enumerated() {
            if let field = CareRegisterField(header: RegisterValue.trimmed(cell)), columns[field] == nil { columns[field] = column }
        }
        let missing = CareRegisterField.allCases.filter { CareRegisterField.required.contains($0) && columns[$0] == nil }
        guard missing.isEmpty else {
            return CareRegisterParseResult(rows: [], issues: missing.map { CareRegisterIssue(row: headerIndex + 1, field: $0, reason: .missingHeader) }, presentFields: Set(columns.keys))
        }
        var parsed: [CareRegisterRow] = []
        var issues: [CareRegisterIssue] = []
        var seen: Set<PersonKey> = []
        for index in rows.indices where index > headerIndex {
            let row = rows[index]
            let cells = columns.mapValues { $0 < row.count ? RegisterValue.trimmed(row[$0]) : "" }
            guard cells.values.contains(where: { !$0.isEmpty }) else { continue }
            switch read(cells, sourceRow: index + 1) {
            case .success(let line):
                if seen.insert(line.personKey).inserted {
                    parsed.append(line)
                } else {
                    issues.append(CareRegisterIssue(row: line.sourceRow, field: .name, reason: .duplicatePerson, value: line.name))
                }
            case .failure(let failure):
                issues += failure.issues
            }
        }
        return CareRegisterParseResult(rows: parsed, issues: issues, presentFields: Set(columns.keys))
    }

    private struct RowIssues: Error { var issues: [CareRegisterIssue] }

    private static func read(_ cells: [CareRegisterField: String], sourceRow: Int) -> Result<CareRegisterRow, RowIssues> {
        var issues: [CareRegisterIssue] = []
        func cell(_ field: CareRegisterField) -> String? {
            guard let text = cells[field], !text.isEmpty else {
                if CareRegisterField.required.contains(field) { issues.append(CareRegisterIssue(row: sourceRow, field: field, reason: .missingValue)) }
                return nil
            }
            return text
        }
        func text(_ field: CareRegisterField, max: Int) -> String? {
            guard let value = cell(field) else { return nil }
            if value.count > max { issues.append(CareRegisterIssue(row: sourceRow, field: field, reason: .tooLong, value: shortened(value))) }
            return value
        }
        func words<T>(_ field: CareRegisterField, _ table: [String: T], reason: CareRegisterIssueReason) -> [T]? {
            guard let value = cell(field) else { return nil }
            var found: [T] = []
            for word in list(value) {
                guard let known = table[normalised(word)] else {
                    issues.append(CareRegisterIssue(row: sourceRow, field: field, reason: reason, value: shortened(word)))
                    continue
                }
                found.append(known)
            }
            return found
        }
        let compound = text(.compound, max: 60).map(RegisterValue.collapsingSpaces)
        let building = text(.building, max: 20).map(RegisterValue.building)
        let room = text(.room, max: 20).map { RegisterValue.room($0) }
        let name = text(.name, max: 40).map(RegisterValue.collapsingSpaces)
        let categories = words(.categories, categoryWords, reason: .unknownCategory)
        let risks = words(.risk, riskWords, reason: .unknownRisk)
        let sources = words(.source, sourceWords, reason: .unknownSource)
        if let risks, risks.count > 1 { issues.append(CareRegisterIssue(row: sourceRow, field: .risk, reason: .unknownRisk, value: cells[.risk].map(shortened))) }
        if let sources, sources.count > 1 { issues.append(CareRegisterIssue(row: sourceRow, field: .source, reason: .unknownSource, value: cells[.source].map(shortened))) }
        let needs = cell(.needs).map { list($0).map(need(fromWord:)) }
        let disabilityKind = text(.disabilityKind, max: CareRegister.maximumDisabilityKindLength)
        let consent = text(.consentNote, max: CareRegister.maximumConsentNoteLength)
        let note = text(.note, max: CareRegister.maximumNoteLength)
        var lastContact: Date?
        if let value = cell(.lastContact) {
            lastContact = contactDate(value)
            if lastContact == nil { issues.append(CareRegisterIssue(row: sourceRow, field: .lastContact, reason: .invalidDate, value: shortened(value))) }
        }
        guard issues.isEmpty, let building, let room, let name else { return .failure(RowIssues(issues: issues)) }
        return .success(CareRegisterRow(
            compound: compound, building: building, room: room, name: name, categories: categories, disabilityKind: disabilityKind, needs: needs,
            risk: risks?.first, source: sources?.first, consentNote: consent, note: note, lastContact: lastContact, sourceRow: sourceRow
        ))
    }

    private static func shortened(_ value: String) -> String { value.count > 60 ? value.prefix(60) + "…" : value }

    // MARK: Writing

    /// One person as the export shows them.
    public struct Line: Sendable, Hashable {
        public var compound: String
        public var building: String
        public var room: String
        public var name: String
        public var phone: String?
        public var entry: CareEntry

        public init(compound: String, building: String, room: String, name: String, phone: String?, entry: CareEntry) {
            self.compound = compound
            self.building = building
            self.room = room
            self.name = name
            self.phone = phone
            self.entry = entry
        }
    }

    /// A Chinese header row, then one row per person. Masked phones are for lists handed out.
    public static func rows(_ lines: [Line], maskPhones: Bool) -> [[String]] {
        let fields = CareRegisterField.allCases
        return [fields.map(\.chineseHeader)] + lines.map { line in
            fields.map { field in
                let entry = line.entry
                switch field {
                case .compound: return line.compound
                case .building: return line.building
                case .room: return line.room
                case .name: return line.name
                case .phone: return line.phone.map { maskPhones ? PhoneMask.mask($0) : $0 } ?? ""
                case .categories: return entry.categories.map(categoryWord).joined(separator: listJoiner)
                case .disabilityKind: return entry.disabilityKind ?? ""
                case .needs: return entry.needs.map(needWord).joined(separator: listJoiner)
                case .risk: return riskWord(entry.risk)
                case .source: return sourceWord(entry.source)
                case .consentNote: return entry.consentNote ?? ""
                case .note: return entry.note ?? ""
                case .lastContact: return entry.lastContactAt.map(contactText) ?? ""
                }
            }
        }
    }
}
