import Foundation

/// Something in a request or in the care register that makes it more urgent.
public enum UrgencyTrigger: String, Sendable, Hashable, Codable, CaseIterable {
    // Treatments that cannot wait: a dialysis patient needs a ride tonight, not in two days.
    case dialysis
    case chemotherapy
    case insulin
    case pregnancy
    case psychiatricMedicine = "psychiatric_medicine"
    // Acute signs: someone may die tonight.
    case chestPain = "chest_pain"
    case breathing
    case bleeding
    case infantFever = "infant_fever"
    case unconscious
    case stroke
    // Less than life-critical, more than normal.
    case emergencyCategory = "emergency_category"
    case medicineRunningOut = "medicine_running_out"
    // From the care register's entry alone: a treatment the words above do not name, and the
    // risk a worker judged after seeing the person.
    case criticalTreatment = "critical_treatment"
    case criticalRisk = "critical_risk"
    case highRisk = "high_risk"

    public var catalogueKey: String { "requests.reason.\(rawValue)" }

    /// The urgency the trigger asks for when the request itself names it.
    public var urgency: Urgency {
        switch self {
        case .emergencyCategory, .medicineRunningOut, .highRisk: .urgent
        default: .lifeCritical
        }
    }

    /// A treatment the care register can record about a resident, as opposed to a sign of now.
    var isTreatment: Bool {
        switch self {
        case .dialysis, .chemotherapy, .insulin, .pregnancy, .psychiatricMedicine, .criticalTreatment: true
        default: false
        }
    }
}

/// Where a trigger was found, so the volunteer sees why ("透析 — from the care register").
public enum UrgencySource: String, Sendable, Hashable, Codable, CaseIterable {
    case description
    case category
    case careRegister = "care_register"

    public var catalogueKey: String { "requests.reason_source.\(rawValue)" }
}

public struct UrgencyFinding: Sendable, Hashable, Codable {
    public var trigger: UrgencyTrigger
    public var source: UrgencySource
    /// The urgency this finding asks for.
    public var urgency: Urgency

    public init(trigger: UrgencyTrigger, source: UrgencySource, urgency: Urgency) {
        self.trigger = trigger
        self.source = source
        self.urgency = urgency
    }
}

/// A proposed urgency and every finding behind it, most urgent first. Staff may change it, with a
/// reason (`Request.changeUrgency`).
public struct UrgencyProposal: Sendable, Hashable, Codable {
    public var urgency: Urgency
    public var findings: [UrgencyFinding]
}

/// What the care register's entry says about a resident, as urgency reads it.
public struct CareUrgencyFacts: Sendable, Hashable {
    public var categories: [CareCategory]
    public var risk: CareRisk

    public init(categories: [CareCategory], risk: CareRisk) {
        self.categories = categories
        self.risk = risk
    }
}

/// Proposes an urgency from what the household wrote and what the care register knows about
/// the resident. It errs towards urgent: a volunteer lowering a wrong
/// "life-critical" costs a minute, a dialysis ride proposed as "normal" may cost a life.
public enum UrgencyRules {
    /// `careNotes` are the resident's health and disability notes (sensitive: the caller reads
    /// them under audit and passes them in; the proposal never repeats them, only the trigger).
    ///
    /// A treatment in the description is life-critical whatever the category. A treatment known
    /// only from the care register is life-critical for the needs that serve it (medicine,
    /// emergency care, transport) and urgent for the rest: a dialysis patient's groceries should
    /// not wait two days, but neither should they jump ahead of someone's chest pain. Acute signs
    /// are read from the description only: "中风后遗症" in the register is an old stroke, not one
    /// happening now.
    ///
    /// `care` are the household's entries on the care register: a treatment category
    /// (dialysis, chemotherapy, other critical treatment, pregnancy) counts as the same treatment
    /// in the notes would; risk critical proposes life-critical whatever the need, risk high
    /// urgent.
    public static func propose(category: RequestCategory, description: String, careNotes: [String?] = [], care: [CareUrgencyFacts] = []) -> UrgencyProposal {
        propose(category: category, described: described(category: category, description: description), careNotes: careNotes, care: care)
    }

    /// What the description alone says, read as the form arrives, before the care register is.
    public static func described(category: RequestCategory, description: String) -> [UrgencyFinding] {
        let described = SearchText(description)
        return UrgencyTrigger.allCases.filter { Self.matches($0, in: described, category: category) }.map {
            UrgencyFinding(trigger: $0, source: .description, urgency: $0.urgency)
        }
    }

    /// The proposal from the description's findings (`described`) and the care register.
    public static func propose(category: RequestCategory, described: [UrgencyFinding], careNotes: [String?], care: [CareUrgencyFacts] = []) -> UrgencyProposal {
        var findings = described
        let notes = SearchText(careNotes.compactMap { $0 }.joined(separator: "\n"))
        let servesTreatment = [.medicine, .emergencyMedical, .transport].contains(category)
        let registered = Set(care.flatMap(\.categories).compactMap(Self.treatment))
        for trigger in UrgencyTrigger.allCases where trigger.isTreatment
            && (registered.contains(trigger) || (!notes.utf8.isEmpty && Self.matches(trigger, in: notes, category: category))) {
            guard !findings.contains(where: { $0.trigger == trigger }) else { continue }
            findings.append(UrgencyFinding(trigger: trigger, source: .careRegister, urgency: servesTreatment ? .lifeCritical : .urgent))
        }
        if let risk = care.map(\.risk).max(), risk >= .high {
            findings.append(risk == .critical
                ? UrgencyFinding(trigger: .criticalRisk, source: .careRegister, urgency: .lifeCritical)
                : UrgencyFinding(trigger: .highRisk, source: .careRegister, urgency: .urgent))
        }
        if category == .emergencyMedical {
            findings.append(UrgencyFinding(trigger: .emergencyCategory, source: .category, urgency: .urgent))
        }
        findings.sort { $0.urgency > $1.urgency }
        return UrgencyProposal(urgency: findings.map(\.urgency).max() ?? .normal, findings: findings)
    }

    /// The treatment trigger a register category stands for.
    private static func treatment(_ category: CareCategory) -> UrgencyTrigger? {
        switch category {
        case .dialysis: .dialysis
        case .chemotherapy: .chemotherapy
        case .otherCriticalTreatment: .criticalTreatment
        case .pregnant: .pregnancy
        default: nil
        }
    }

    // MARK: - Matching

    /// Words that, written just before an acute sign, say it is absent ("没有胸痛"). Treatments
    /// are never negated this way: "还没透析" means the dialysis is missing, which is the emergency.
    private static let negations = ["没有", "无", "否认", "不再"].map { Array($0.utf8) }

    private static func matches(_ trigger: UrgencyTrigger, in text: SearchText, category: RequestCategory) -> Bool {
        switch trigger {
        case .infantFever:
            // Two parts anywhere in the text: "宝宝8个月，昨晚开始发烧".
            return containsAny(infantWords, in: text, negatable: false) && containsAny(feverWords, in: text, negatable: true)
        case .medicineRunningOut:
            // In a medicine request "舍曲林吃完了" needs no word for medicine; in a food request
            // "吃完了" is about rice. Also "只剩两天的药", "还剩3天": the last days of a prescription.
            let words = (keywords[trigger] ?? []) + (category == .medicine ? medicineRunningOutInMedicineRequest : [])
            return containsAny(words, in: text, negatable: false) || (text.contains(remaining) && text.string.contains(/[只还]剩[0-9一二两三四五六七八九十半]+[天顿日]/))
        case .emergencyCategory, .criticalTreatment, .criticalRisk, .highRisk:
            return false
        default:
            return containsAny(keywords[trigger] ?? [], in: text, negatable: !trigger.isTreatment)
        }
    }

    private static let keywords: [UrgencyTrigger: [Keyword]] = [
        .dialysis: ["透析", "血透", "腹透", "尿毒症"],
        .chemotherapy: ["化疗", "放疗", "靶向药", "靶向治疗"],
        .insulin: ["胰岛素"],
        // "孕" alone, but not in "不孕" (infertility) or "避孕" (contraception).
        .pregnancy: [Keyword("孕", unless: ["不", "避"]), "待产", "产检", "临产", "宫缩", "羊水"],
        // Bare "精神" is left out on purpose: "精神很好" means "in good spirits".
        .psychiatricMedicine: [
            "精神科", "精神类", "精神病", "精神分裂", "精神药", "精神障碍", "抗抑郁", "抑郁症", "双相",
            "躁郁", "焦虑症", "氯氮平", "奥氮平", "利培酮", "喹硫平", "阿立哌唑", "碳酸锂", "舍曲林",
            "帕罗西汀", "氟西汀", "西酞普兰", "文拉法辛",
        ],
        .chestPain: ["胸痛", "胸口痛", "胸口疼", "胸口剧痛", "胸闷", "心绞痛", "心梗", "心肌梗"],
        .breathing: ["呼吸困难", "喘不上气", "喘不过气", "上不来气", "透不过气", "憋气", "呼吸急促", "哮喘发作", "血氧"],
        .bleeding: ["出血", "流血不止", "吐血", "咯血", "便血", "血流不止"],
        .unconscious: ["昏迷", "昏倒", "晕倒", "晕过去", "不省人事", "叫不醒", "意识不清", "没有意识", "休克"],
        .stroke: ["中风", "卒中", "脑梗", "脑溢血", "嘴歪", "口角歪", "口齿不清", "说话不清", "说不出话", "半边身子", "半边身体", "一侧肢体"],
        .medicineRunningOut: ["断药", "药快吃完", "药快用完", "药吃完", "药用完", "药快没", "药没了", "没药了", "缺药", "药不够", "药停了"],
    ]

    private static let medicineRunningOutInMedicineRequest: [Keyword] = ["吃完", "用完", "快没了", "停药"]

    private static let infantWords: [Keyword] = ["婴儿", "宝宝", "新生儿", "个月大", "月龄", "个月的孩子", "个月的宝"]
    private static let feverWords: [Keyword] = ["发烧", "发热", "高烧", "高热", "烧到"]

    private static let remaining = Array("剩".utf8)

    private struct Keyword: ExpressibleByStringLiteral {
        var word: [UInt8]
        var first: Unicode.Scalar
        /// Characters that, just before the word, make it mean something else.
        var unless: [Unicode.Scalar] = []

        init(_ word: String, unless: [Unicode.Scalar]) {
            self.init(stringLiteral: word)
            self.unless = unless
        }

        init(stringLiteral word: String) {
            self.word = Array(word.utf8)
            first = word.unicodeScalars.first ?? " "
        }
    }

    private static func containsAny(_ keywords: [Keyword], in text: SearchText, negatable: Bool) -> Bool {
        keywords.contains { keyword in
            text.scalars.contains(keyword.first) && text.occurrences(of: keyword.word).contains { start in
                if let previous = text.scalar(before: start), keyword.unless.contains(previous) { return false }
                return !(negatable && negations.contains { text.bytes(before: start, endWith: $0) })
            }
        }
    }
}

/// A text searched as UTF-8 bytes. Every keyword is whole Unicode scalars, and UTF-8 never
/// matches a scalar's bytes in the middle of another, so byte matches are exactly the keyword
/// matches; this is many times faster than searching by Character, which every filing does
/// thirty times (a surge of thousands a second).
struct SearchText {
    let string: String
    let utf8: [UInt8]
    /// The characters in the text: most keywords are ruled out by their first one alone.
    let scalars: Set<Unicode.Scalar>

    init(_ string: String) {
        self.string = string
        utf8 = Array(string.utf8)
        scalars = Set(string.unicodeScalars)
    }

    func contains(_ word: [UInt8]) -> Bool { !occurrences(of: word, first: true).isEmpty }

    /// Where `word` starts in the text, as byte offsets.
    func occurrences(of word: [UInt8], first: Bool = false) -> [Int] {
        guard let lead = word.first, word.count <= utf8.count else { return [] }
        var found: [Int] = []
        var index = 0
        let last = utf8.count - word.count
        while index <= last {
            if utf8[index] == lead, utf8[index..<(index + word.count)].elementsEqual(word) {
                found.append(index)
                if first { break }
                index += word.count
            } else {
                index += 1
            }
        }
        return found
    }

    /// The scalar that ends just before byte `offset`.
    func scalar(before offset: Int) -> Unicode.Scalar? {
        guard offset > 0 else { return nil }
        var start = offset - 1
        while start > 0, utf8[start] & 0xC0 == 0x80 { start -= 1 }
        return String(decoding: utf8[start..<offset], as: UTF8.self).unicodeScalars.first
    }

    func bytes(before offset: Int, endWith suffix: [UInt8]) -> Bool {
        offset >= suffix.count && utf8[(offset - suffix.count)..<offset].elementsEqual(suffix)
    }
}
