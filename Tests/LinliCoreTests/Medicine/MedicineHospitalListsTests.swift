import LinliCore
import PropertyBased
import Testing

@Suite("The night's per-hospital lists: each drug once per hospital window, with its total and its households")
struct MedicineHospitalListsTests {
    static func item(_ batch: Int64, _ household: Int64, _ hospital: String, _ window: String, _ drug: String, _ specification: String = "", quantity: Int) -> MedicineListItem {
        MedicineListItem(batchID: MedicineBatchID(batch), householdID: PlaceID(household), source: .hospitalWindow, hospital: hospital, window: window, drug: drug, specification: specification, quantity: quantity)
    }

    @Test("two households' metformin at one window is one line of 5 for 2 households; another window, another specification and another batch stay apart")
    func totals() {
        let lists = MedicineHospitalLists.build([
            Self.item(1, 10, "仁济医院", "慢病窗口", "二甲双胍", "0.5g*30片", quantity: 2),
            Self.item(1, 11, "仁济医院", "慢病窗口", "二甲双胍", "0.5g*30片", quantity: 3),
            Self.item(1, 11, "仁济医院", "慢病窗口", "二甲双胍", "0.25g*60片", quantity: 1),
            Self.item(1, 12, "仁济医院", "西药房", "二甲双胍", "0.5g*30片", quantity: 1),
            Self.item(1, 10, "曙光医院", "", "阿司匹林", "100mg*30片", quantity: 1),
            Self.item(2, 20, "仁济医院", "慢病窗口", "二甲双胍", "0.5g*30片", quantity: 4),
        ])
        let first = lists[MedicineBatchID(1)] ?? []
        #expect(first.map { "\($0.hospital)/\($0.window)" } == ["仁济医院/慢病窗口", "仁济医院/西药房", "曙光医院/"])
        #expect(first.first?.lines == [
            HospitalListLine(drug: "二甲双胍", specification: "0.25g*60片", quantity: 1, households: 1),
            HospitalListLine(drug: "二甲双胍", specification: "0.5g*30片", quantity: 5, households: 2),
        ])
        #expect(lists[MedicineBatchID(2)]?.first?.lines.map(\.quantity) == [4])
    }

    static let items = zip(Gen.int(in: 1...3), Gen.int(in: 1...20), Gen.int(in: 0...3), Gen.int(in: 0...4), Gen.int(in: 1...999)).map { batch, household, hospital, drug, quantity in
        MedicineHospitalListsTests.item(Int64(batch), Int64(household), ["仁济医院", "曙光医院", "东方医院", "社区卫生服务中心"][hospital], hospital % 2 == 0 ? "慢病窗口" : "", ["氨氯地平", "二甲双胍", "阿司匹林", "胰岛素", "奥氮平"][drug], quantity: quantity)
    }.array(of: 0...60)

    @Test("whatever the items: every unit is on exactly one line of its own batch, households never exceed the items, and the lists do not depend on the order items come in")
    func conservation() async {
        await propertyCheck(count: 300, input: Self.items) { items in
            let lists = MedicineHospitalLists.build(items)
            for (batch, hospitals) in lists {
                let mine = items.filter { $0.batchID == batch }
                #expect(hospitals.flatMap(\.lines).reduce(0) { $0 + $1.quantity } == mine.reduce(0) { $0 + $1.quantity })
                #expect(hospitals.flatMap(\.lines).allSatisfy { $0.households >= 1 && $0.households <= mine.count })
            }
            #expect(Set(lists.keys) == Set(items.map(\.batchID)))
            #expect(MedicineHospitalLists.build(items.reversed()) == lists)
        }
    }
}
