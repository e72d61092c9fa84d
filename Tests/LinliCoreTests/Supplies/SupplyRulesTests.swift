import LinliCore
import PropertyBased
import Testing

@Suite("Relief allocation: what each household is entitled to, what is left, and what is refused")
struct SupplyRulesTests {
    @Test("one per household gives every household one, whoever lives there")
    func perHousehold() {
        #expect(SupplyRules.entitlement(.perHousehold, HouseholdFacts(residents: 0)) == 1)
        #expect(SupplyRules.entitlement(.perHousehold, HouseholdFacts(residents: 7, careCategories: [.dialysis])) == 1)
    }

    @Test("one per person counts the registered residents, none for an empty flat, at most the per-household bound")
    func perPerson() {
        #expect(SupplyRules.entitlement(.perPerson, HouseholdFacts(residents: 3)) == 3)
        #expect(SupplyRules.entitlement(.perPerson, HouseholdFacts(residents: 0)) == 0)
        #expect(SupplyRules.entitlement(.perPerson, HouseholdFacts(residents: -4)) == 0)
        #expect(SupplyRules.entitlement(.perPerson, HouseholdFacts(residents: Int.max)) == SupplyRules.maximumPerHousehold)
    }

    @Test("care categories give one to a household with someone in any named category, none to the others")
    func careCategories() {
        let rule = AllocationRule.careCategories([.elderlyAlone, .childWithoutAdult])
        #expect(SupplyRules.entitlement(rule, HouseholdFacts(residents: 1, careCategories: [.elderlyAlone])) == 1)
        #expect(SupplyRules.entitlement(rule, HouseholdFacts(residents: 4, careCategories: [.dialysis, .childWithoutAdult])) == 1)
        #expect(SupplyRules.entitlement(rule, HouseholdFacts(residents: 2, careCategories: [.dialysis])) == 0)
        #expect(SupplyRules.entitlement(rule, HouseholdFacts(residents: 2)) == 0)
        #expect(SupplyRules.entitlement(.careCategories([]), HouseholdFacts(residents: 2, careCategories: [.dialysis])) == 0)
        #expect(rule.ledgerText == "care_categories:child_without_adult,elderly_alone")
    }

    @Test("the allocation sums the households' entitlements")
    func allocated() {
        let households = [HouseholdFacts(residents: 2), HouseholdFacts(residents: 0), HouseholdFacts(residents: 5, careCategories: [.pregnant])]
        #expect(SupplyRules.allocated(.perHousehold, households) == 3)
        #expect(SupplyRules.allocated(.perPerson, households) == 7)
        #expect(SupplyRules.allocated(.careCategories([.pregnant]), households) == 1)
    }

    @Test("stock is received less handed out and written off, never negative and never trapping")
    func stock() async {
        #expect(SupplyRules.stock(received: 400, handedOut: 120, writtenOff: 3) == 277)
        #expect(SupplyRules.stock(received: 10, handedOut: 11, writtenOff: 0) == 0)
        #expect(SupplyRules.stock(received: Int.min, handedOut: Int.max, writtenOff: Int.max) == 0)
        await propertyCheck(count: 300, input: zip(Gen.int(in: Int.min...Int.max), Gen.int(in: Int.min...Int.max), Gen.int(in: Int.min...Int.max))) { received, out, off in
            let left = SupplyRules.stock(received: received, handedOut: out, writtenOff: off)
            #expect(left >= 0)
        }
    }

    @Test("a hand-out is refused when the household had its share, gets nothing, or more than is left would go")
    func handOutRefusals() {
        #expect(SupplyRules.handOutRefusal(entitlement: 1, alreadyReceived: false, stock: 1) == nil)
        #expect(SupplyRules.handOutRefusal(entitlement: 1, alreadyReceived: true, stock: 10) == .alreadyHandedOut)
        #expect(SupplyRules.handOutRefusal(entitlement: 0, alreadyReceived: false, stock: 10) == .notEntitled)
        #expect(SupplyRules.handOutRefusal(entitlement: 3, alreadyReceived: false, stock: 2) == .outOfStock)
        #expect(SupplyRules.writeOffRefusal(quantity: 3, stock: 2) == .outOfStock)
        #expect(SupplyRules.writeOffRefusal(quantity: 2, stock: 2) == nil)
    }

    @Test("an expiry day must exist")
    func days() {
        #expect(SupplyRules.day("2022-05-31") == "2022-05-31")
        #expect(SupplyRules.day("2024-02-29") == "2024-02-29")
        for bad in ["2023-02-29", "2022-13-01", "2022-04-31", "22-05-01", "2022-5-1", "2022-05-0１", "", "1999-01-01", "abcd-ef-gh", "2022-00-10"] {
            #expect(SupplyRules.day(bad) == nil, "\(bad)")
        }
    }
}
