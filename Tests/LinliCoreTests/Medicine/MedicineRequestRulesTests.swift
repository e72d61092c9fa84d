import LinliCore
import PropertyBased
import Testing

@Suite("A medicine request's team, follow-up, money and a batch's closing, without a database")
struct MedicineRequestRulesTests {
    // district 1 / sub-district 2 / committee 3 / compound 4 / building 5 / household 6
    static let household = PlacePath(rawValue: "/1/2/3/4/5/6")
    static func team(_ id: Int64, _ path: String) -> MedicineTeamPlace {
        let placePath = PlacePath(rawValue: path)
        return MedicineTeamPlace(id: TeamID(id), placeID: placePath.ids.last ?? PlaceID(0), path: placePath)
    }

    @Test("the household's team is the nearest above it; among teams of one place the first made; a team elsewhere never")
    func nearestTeam() {
        let teams = [Self.team(7, "/1/2"), Self.team(9, "/1/2/3/4"), Self.team(8, "/1/2/3/4"), Self.team(3, "/1/2/3"), Self.team(2, "/1/2/3/99")]
        #expect(MedicineRules.team(for: Self.household, among: teams)?.id == TeamID(8))
        #expect(MedicineRules.team(for: Self.household, among: [Self.team(2, "/1/2/3/99")]) == nil)
        #expect(MedicineRules.teamAbove(Self.team(8, "/1/2/3/4"), among: teams).id == TeamID(3), "one level up: the committee's")
        #expect(MedicineRules.teamAbove(Self.team(3, "/1/2/3"), among: teams).id == TeamID(7), "no team at the sub-district's committee sibling: the nearest above")
        #expect(MedicineRules.teamAbove(Self.team(7, "/1/2"), among: teams).id == TeamID(7), "nobody above: the same team")
    }

    static func item(_ quantity: Int, _ outcome: MedicineOutcome?, bought: Int? = nil) -> MedicineItem {
        MedicineItem(id: 5, requestID: 1, drug: "阿托伐他汀钙片", specification: "20mg*7片", quantity: quantity, kind: .chronicRefill, source: .hospitalWindow,
                     hospital: "东方医院", coldChain: true, boxPhoto: "box.jpg", outcome: outcome, quantityBought: bought, outcomeNote: "只剩一盒")
    }

    @Test("the follow-up asks for what each item still lacks, as it was asked, with no outcome, photo or note")
    func followUp() {
        let items = [Self.item(3, .partial, bought: 1), Self.item(2, .bought, bought: 2), Self.item(1, .outOfStock), Self.item(4, .refused), Self.item(2, .wrongDrug)]
        let next = MedicineRules.followUpItems(items)
        #expect(next.map(\.quantity) == [2, 1, 4, 2])
        #expect(next.allSatisfy { $0.outcome == nil && $0.quantityBought == nil && $0.outcomeNote == nil && $0.boxPhoto == nil && $0.id == 0 })
        #expect(next.allSatisfy { $0.coldChain && $0.hospital == "东方医院" && $0.specification == "20mg*7片" })
        #expect(MedicineRules.followUpItems([Self.item(2, .bought, bought: 2)]).isEmpty)
    }

    static let money = zip(Gen.int(in: 0...50_000), Gen.int(in: 0...50_000), Gen.int(in: 0...50_000), Gen.bool, Gen.bool).map { advanced, spent, change, settled, exact in
        exact ? MedicineMoney(advanced: spent + change, spent: spent, changeReturned: change)
              : MedicineMoney(advanced: advanced, spent: settled ? spent : nil, changeReturned: settled ? change : nil)
    }.array(of: 0...40)

    @Test("a batch's totals are the sums of its requests', and the unreconciled are exactly those whose difference is not zero")
    func batchMoney() async {
        await propertyCheck(count: 300, input: Self.money) { entries in
            let batch = MedicineRules.batchMoney(entries.enumerated().map { (HelpRequestID(Int64($0.offset + 1)), $0.element) })
            #expect(batch.advanced == entries.reduce(0) { $0 + $1.advanced })
            #expect(batch.spent == entries.reduce(0) { $0 + ($1.spent ?? 0) })
            #expect(batch.changeReturned == entries.reduce(0) { $0 + ($1.changeReturned ?? 0) })
            #expect(batch.unreconciled == entries.enumerated().filter { $0.element.difference != 0 }.map { HelpRequestID(Int64($0.offset + 1)) })
            #expect(batch.unreconciled.isEmpty ? batch.difference == 0 : true)
        }
    }

    @Test("a batch closes formed, with every outcome in, every card back and the money reconciled or explained; the reasons come in that order")
    func closing() {
        let clean = MedicineBatchMoney(advanced: 100, spent: 80, changeReturned: 20, unreconciled: [])
        let short = MedicineBatchMoney(advanced: 100, spent: 80, changeReturned: 10, unreconciled: [HelpRequestID(4)])
        #expect(MedicineRules.closeRefusal(status: .formed, itemsOpen: 0, cardsOut: 0, money: clean, explanation: nil) == nil)
        #expect(MedicineRules.closeRefusal(status: .collecting, itemsOpen: 0, cardsOut: 0, money: clean, explanation: nil) == .stillCollecting)
        #expect(MedicineRules.closeRefusal(status: .closed, itemsOpen: 0, cardsOut: 0, money: clean, explanation: nil) == .alreadyClosed)
        #expect(MedicineRules.closeRefusal(status: .formed, itemsOpen: 1, cardsOut: 1, money: short, explanation: nil) == .itemsOpen)
        #expect(MedicineRules.closeRefusal(status: .formed, itemsOpen: 0, cardsOut: 1, money: short, explanation: "x") == .cardsOut)
        #expect(MedicineRules.closeRefusal(status: .formed, itemsOpen: 0, cardsOut: 0, money: short, explanation: nil) == .moneyMismatch)
        #expect(MedicineRules.closeRefusal(status: .formed, itemsOpen: 0, cardsOut: 0, money: short, explanation: "") == .moneyMismatch)
        #expect(MedicineRules.closeRefusal(status: .formed, itemsOpen: 0, cardsOut: 0, money: short, explanation: "找零时少了十元，已补") == nil)
    }
}
