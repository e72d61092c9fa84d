import Testing
@testable import LinliCore

@Suite("Proposing an urgency")
struct UrgencyRulesTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var description: String
        var category: RequestCategory
        var urgency: Urgency
        var triggers: Set<UrgencyTrigger>
        var testDescription: String { description }

        init(_ description: String, _ category: RequestCategory, _ urgency: Urgency, _ triggers: Set<UrgencyTrigger> = []) {
            self.description = description
            self.category = category
            self.urgency = urgency
            self.triggers = triggers
        }
    }

    static let descriptions: [Case] = [
        Case("我父亲尿毒症，每周一三五血透，今晚需要车送去仁济医院", .transport, .lifeCritical, [.dialysis]),
        Case("家里老人要去做透析，小区不让出，怎么办", .other, .lifeCritical, [.dialysis]),
        Case("妈妈乳腺癌化疗中，下周二要去肿瘤医院放疗", .transport, .lifeCritical, [.chemotherapy]),
        Case("肺癌靶向药只剩两天的，医院开不出来", .medicine, .lifeCritical, [.chemotherapy, .medicineRunningOut]),
        Case("糖尿病，胰岛素笔芯用完了，需要诺和锐", .medicine, .lifeCritical, [.insulin, .medicineRunningOut]),
        Case("米和面都吃完了", .food, .normal),
        Case("老婆怀孕32周，明天要产检", .transport, .lifeCritical, [.pregnancy]),
        Case("孕妇，见红了，可能要生了", .emergencyMedical, .lifeCritical, [.pregnancy, .emergencyCategory]),
        Case("预产期下周，待产包已准备好，需要确认去医院的车", .transport, .lifeCritical, [.pregnancy]),
        Case("儿子精神分裂，氯氮平只剩三天了", .medicine, .lifeCritical, [.psychiatricMedicine, .medicineRunningOut]),
        Case("抑郁症，舍曲林吃完了，情绪很差", .medicine, .lifeCritical, [.psychiatricMedicine, .medicineRunningOut]),
        Case("需要去精神科配药", .medicine, .lifeCritical, [.psychiatricMedicine]),
        Case("爷爷突然胸痛，出冷汗", .emergencyMedical, .lifeCritical, [.chestPain, .emergencyCategory]),
        Case("奶奶胸闷气短，喘不上气", .emergencyMedical, .lifeCritical, [.chestPain, .breathing, .emergencyCategory]),
        Case("外婆呼吸困难，血氧只有88", .emergencyMedical, .lifeCritical, [.breathing, .emergencyCategory]),
        Case("切菜把手割了，流血不止", .other, .lifeCritical, [.bleeding]),
        Case("老人吐血，怎么办", .emergencyMedical, .lifeCritical, [.bleeding, .emergencyCategory]),
        Case("宝宝8个月，昨晚开始发烧39度", .medicine, .lifeCritical, [.infantFever]),
        Case("婴儿发烧，需要美林", .medicine, .lifeCritical, [.infantFever]),
        Case("老伴早上叫不醒，昏迷了", .emergencyMedical, .lifeCritical, [.unconscious, .emergencyCategory]),
        Case("婆婆在卫生间晕倒了", .other, .lifeCritical, [.unconscious]),
        Case("爸爸突然嘴歪，说话不清，右手没力气", .emergencyMedical, .lifeCritical, [.stroke, .emergencyCategory]),
        Case("怀疑中风，半边身子动不了", .other, .lifeCritical, [.stroke]),
        Case("需要去医院看急诊，脚扭伤了", .emergencyMedical, .urgent, [.emergencyCategory]),
        Case("降压药快吃完了，还剩两天", .medicine, .urgent, [.medicineRunningOut]),
        Case("已经断药三天了，氨氯地平", .medicine, .urgent, [.medicineRunningOut]),
        Case("家里没药了，需要配二甲双胍", .medicine, .urgent, [.medicineRunningOut]),
        Case("家里没有米了，需要大米和鸡蛋", .food, .normal),
        Case("需要卫生纸和洗衣液", .dailySupplies, .normal),
        Case("抗原试剂不够了，家里四口人", .testing, .normal),
        Case("老人精神很好，只是想买点水果", .food, .normal),
        Case("需要避孕药", .medicine, .normal),
        Case("宝宝没有发烧，只是需要奶粉", .food, .normal),
        Case("没有胸痛，就是想要一些降压药的说明", .medicine, .normal),
        Case("降压药还剩半个月的量，想提前配", .medicine, .normal),
    ]

    @Test("a description proposes the urgency its content calls for, with its reasons", arguments: descriptions)
    func fromDescription(example: Case) {
        let proposal = UrgencyRules.propose(category: example.category, description: example.description)
        #expect(proposal.urgency == example.urgency)
        #expect(Set(proposal.findings.map(\.trigger)) == example.triggers)
    }

    @Test("the most urgent reasons come first")
    func orderedFindings() {
        let proposal = UrgencyRules.propose(category: .emergencyMedical, description: "胸痛")
        #expect(proposal.findings.map(\.trigger) == [.chestPain, .emergencyCategory])
    }

    @Test("a treatment in the care register makes a medicine, emergency or transport request life-critical",
          arguments: [
              ("维持性血透，每周三次", UrgencyTrigger.dialysis), ("肝癌术后，正在化疗", .chemotherapy),
              ("1型糖尿病，每日注射胰岛素", .insulin), ("孕28周", .pregnancy), ("双相情感障碍，服碳酸锂", .psychiatricMedicine),
          ],
          [RequestCategory.medicine, .emergencyMedical, .transport])
    func careRegisterLifeCritical(example: (note: String, trigger: UrgencyTrigger), category: RequestCategory) throws {
        let (note, trigger) = example
        let proposal = UrgencyRules.propose(category: category, description: "需要帮助", careNotes: [nil, note])
        #expect(proposal.urgency == .lifeCritical)
        let finding = try #require(proposal.findings.first)
        #expect(finding == UrgencyFinding(trigger: trigger, source: .careRegister, urgency: .lifeCritical))
    }

    @Test("the same treatment makes a food or supplies request urgent, not life-critical", arguments: [RequestCategory.food, .dailySupplies, .testing, .other])
    func careRegisterUrgent(category: RequestCategory) {
        let proposal = UrgencyRules.propose(category: category, description: "家里没菜了", careNotes: ["尿毒症，腹透", nil])
        #expect(proposal.urgency == .urgent)
        #expect(proposal.findings == [UrgencyFinding(trigger: .dialysis, source: .careRegister, urgency: .urgent)])
    }

    @Test("an old stroke in the register does not make today's groceries an emergency")
    func acuteSignsOnlyFromDescription() {
        let proposal = UrgencyRules.propose(category: .food, description: "需要蔬菜", careNotes: ["中风后遗症，偏瘫", "长期卧床，曾昏迷"])
        #expect(proposal.urgency == .normal && proposal.findings.isEmpty)
    }

    @Test("a treatment named in both the description and the register is reported once, from the description")
    func noDuplicateFinding() {
        let proposal = UrgencyRules.propose(category: .transport, description: "今晚透析没车", careNotes: ["血透"])
        #expect(proposal.findings == [UrgencyFinding(trigger: .dialysis, source: .description, urgency: .lifeCritical)])
    }

    @Test("a missing dialysis is the emergency, not its negation")
    func treatmentNotNegated() {
        #expect(UrgencyRules.propose(category: .other, description: "今天还没透析，已经两天没做了").urgency == .lifeCritical)
    }

    @Test("every trigger and source has a reason text in both languages")
    func reasonTexts() {
        for key in UrgencyTrigger.allCases.map(\.catalogueKey) + UrgencySource.allCases.map(\.catalogueKey) {
            let entry = Catalogue.requests[key]
            #expect(entry != nil, "missing \(key)")
        }
    }
}
