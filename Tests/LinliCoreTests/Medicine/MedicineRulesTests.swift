import Foundation
import LinliCore
import Testing

@Suite("Medicine: the queue rule, per-hospital totals, shortfalls")
struct MedicineRulesTests {
    @Test("urgent, psychiatric and oncology drugs, insulin and dialysis go same-day; the rest nightly")
    func queueRule() {
        #expect(MedicineRules.queue(kinds: [.chronicRefill], drugs: ["氨氯地平"], residentOnDialysis: false) == .nightly)
        #expect(MedicineRules.queue(kinds: [], drugs: [], residentOnDialysis: false) == .nightly)
        #expect(MedicineRules.queue(kinds: [.otherSpecialty], drugs: ["x"], residentOnDialysis: false) == .nightly)
        for kind in [MedicineKind.urgent, .psychiatric, .oncology] {
            #expect(MedicineRules.queue(kinds: [.chronicRefill, kind], drugs: ["a", "b"], residentOnDialysis: false) == .sameDay)
        }
        #expect(MedicineRules.queue(kinds: [.chronicRefill], drugs: ["门冬胰岛素注射液"], residentOnDialysis: false) == .sameDay)
        #expect(MedicineRules.queue(kinds: [.chronicRefill], drugs: ["Lantus INSULIN glargine"], residentOnDialysis: false) == .sameDay)
        #expect(MedicineRules.queue(kinds: [.chronicRefill], drugs: ["二甲双胍"], residentOnDialysis: true) == .sameDay)
    }

    @Test("a partial purchase falls short by what was not bought; other outcomes short of bought by all")
    func shortfall() {
        #expect(MedicineRules.shortfall(quantity: 5, outcome: .partial, quantityBought: 2) == 3)
        #expect(MedicineRules.shortfall(quantity: 5, outcome: .partial, quantityBought: 9) == 0)
        #expect(MedicineRules.shortfall(quantity: 5, outcome: .partial, quantityBought: nil) == 5)
        #expect(MedicineRules.shortfall(quantity: 5, outcome: .bought, quantityBought: 5) == 0)
        #expect(MedicineRules.shortfall(quantity: 5, outcome: nil, quantityBought: nil) == 0)
        for outcome in [MedicineOutcome.outOfStock, .wrongDrug, .refused] {
            #expect(MedicineRules.shortfall(quantity: 4, outcome: outcome, quantityBought: 3) == 4)
        }
    }

    @Test("per-hospital lists total each drug and count distinct households, in a fixed order")
    func hospitalLists() {
        let inputs = [
            HospitalListInput(householdID: 1, source: .hospitalWindow, hospital: "瑞金医院", window: "3号窗", drug: "氨氯地平", specification: "5mg", quantity: 2),
            HospitalListInput(householdID: 2, source: .hospitalWindow, hospital: "瑞金医院", window: "3号窗", drug: "氨氯地平", specification: "5mg", quantity: 3),
            HospitalListInput(householdID: 2, source: .hospitalWindow, hospital: "瑞金医院", window: "3号窗", drug: "氨氯地平", specification: "5mg", quantity: 1),
            HospitalListInput(householdID: 1, source: .hospitalWindow, hospital: "瑞金医院", window: "3号窗", drug: "二甲双胍", specification: nil, quantity: 1),
            HospitalListInput(householdID: 3, source: .healthCentre, hospital: "社区卫生服务中心", window: "", drug: "阿司匹林", specification: "100mg", quantity: 4),
        ]
        let lists = MedicineRules.hospitalLists(inputs)
        #expect(lists.count == 2)
        #expect(lists[0].source == .healthCentre)
        #expect(lists[1].hospital == "瑞金医院")
        #expect(lists[1].lines == [
            HospitalListLine(drug: "二甲双胍", specification: "", quantity: 1, households: 1),
            HospitalListLine(drug: "氨氯地平", specification: "5mg", quantity: 6, households: 2),
        ].sorted { ($0.drug, $0.specification) < ($1.drug, $1.specification) })
        #expect(MedicineRules.hospitalLists(inputs.reversed()) == lists, "the order of the items does not change the list")
    }
}
