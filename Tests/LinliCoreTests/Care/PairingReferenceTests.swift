import Foundation
@testable import LinliCore
import Testing

@Suite("The fast pairing solver against the plain per-pair min-cost flow")
struct PairingReferenceTests {
    typealias Person = PairingInstance.Person
    typealias Helper = PairingInstance.Helper

    /// The seeded generator of the delivery tests, with the two draws the instances need.
    struct Random {
        var generator: SeededGenerator

        init(state: UInt64) { generator = SeededGenerator(seed: state) }

        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
        mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
    }

    static let skills = ["medical", "sign_language", "dialect", "driver"]

    /// Medium instances: 30–100 people in one to three compounds of up to six buildings, floors
    /// 1–30, most buildings placed, needs and skills, capacities 0–5 or the default, a few pins.
    static func instance(seed: UInt64) -> PairingInstance {
        var random = Random(state: seed)
        let compounds = random.int(1...3)
        var buildings: [PairingInstance.Building] = []
        var buildingCount: [Int] = []
        for c in 0..<compounds {
            buildingCount.append(random.int(1...6))
            for b in 0..<buildingCount[c] {
                let placed = random.chance(75)
                buildings.append(.init(compound: "c\(c)", building: "b\(b)", x: placed ? Double(random.int(0...400)) : nil, y: placed ? Double(random.int(0...400)) : nil))
            }
        }
        let helpers = (0..<random.int(15...70)).map { index in
            let c = random.int(0...(compounds - 1))
            return Helper(
                id: "h\(index)", compound: "c\(c)", building: "b\(random.int(0...(buildingCount[c] - 1)))", floor: random.int(1...30),
                skills: skills.filter { _ in random.chance(30) }, capacity: random.chance(60) ? nil : random.int(0...5)
            )
        }
        let people = (0..<random.int(30...100)).map { index in
            let c = random.int(0...(compounds - 1))
            let needs = random.chance(70) ? [] : skills.filter { _ in random.chance(25) }
            let sameCompound = helpers.filter { $0.compound == "c\(c)" }
            let pin = random.chance(5) && !sameCompound.isEmpty ? sameCompound[random.int(0...(sameCompound.count - 1))].id : nil
            return Person(id: "p\(index)", compound: "c\(c)", building: "b\(random.int(0...(buildingCount[c] - 1)))", floor: random.int(1...30), needs: needs, pinned: pin)
        }
        return PairingInstance(buildings: buildings, people: people, helpers: helpers)
    }

    /// Ten batches of twenty, so the batches run side by side.
    @Test("on 200 medium random instances: the same number paired and the same cost as the reference, per compound and stage, within every rule", arguments: 0..<10)
    func matchesReference(batch: Int) {
        for seed in UInt64(batch * 20 + 1)...UInt64(batch * 20 + 20) {
            let instance = Self.instance(seed: seed)
            #expect(instance.problem() == nil)
            let fast = PairingSolver.solve(instance)
            let reference = PairingReference.solve(instance)
            let distance = PairingSolver.Distance(instance)
            let helpers = Dictionary(uniqueKeysWithValues: instance.helpers.map { ($0.id, $0) })
            #expect(fast.primary.count == reference.primary.count, "seed \(seed): as many paired")
            #expect(fast.cost.primary == reference.cost.primary, "seed \(seed): the least primary cost")
            if seed % 10 == 0 { #expect(fast == PairingSolver.solve(instance), "seed \(seed): deterministic") }
            for (compound, people) in Dictionary(grouping: instance.people, by: \.compound) {
                let compoundHelpers = instance.helpers.filter { $0.compound == compound }
                // Backups depend on the primaries, which may differ from the reference's at the
                // same cost: the reference solves the backup stage for the fast primaries.
                let backup = PairingReference.stage(people: people, helpers: compoundHelpers, distance: distance, excluded: fast.primary, pins: false)
                #expect(people.filter { fast.backup[$0.id] != nil }.count == backup.pairs.count, "seed \(seed): as many backups")
                #expect(PairingSolver.cost(of: fast.backup, people: people, helpers: helpers, distance: distance) == backup.cost, "seed \(seed): the least backup cost")
            }
            #expect(PairingSolver.cost(of: fast.primary, people: instance.people, helpers: helpers, distance: distance) == fast.cost.primary)
            #expect(PairingSolver.cost(of: fast.backup, people: instance.people, helpers: helpers, distance: distance) == fast.cost.backup)
            for person in instance.people {
                if let pin = person.pinned { #expect(fast.primary[person.id] == pin, "seed \(seed): pins are kept") }
                if let backup = fast.backup[person.id] {
                    #expect(backup != fast.primary[person.id] && PairingSolver.eligible(person, helpers[backup]!))
                }
                if let primary = fast.primary[person.id], person.pinned == nil { #expect(PairingSolver.eligible(person, helpers[primary]!)) }
            }
            var pinned: [String: Int] = [:], primaries: [String: Int] = [:], backups: [String: Int] = [:]
            for person in instance.people { if let pin = person.pinned { pinned[pin, default: 0] += 1 } }
            for helperID in fast.primary.values { primaries[helperID, default: 0] += 1 }
            for helperID in fast.backup.values { backups[helperID, default: 0] += 1 }
            for helper in instance.helpers {
                #expect(primaries[helper.id, default: 0] <= max(pinned[helper.id, default: 0], PairingSolver.capacity(of: helper)))
                #expect(backups[helper.id, default: 0] <= PairingSolver.capacity(of: helper))
            }
        }
    }

    @Test("re-pairing solves only the compounds a helper left: the others keep every pair and their cost")
    func repairKeepsOtherCompounds() {
        for seed in UInt64(1001)...1040 {
            let instance = Self.instance(seed: seed)
            let before = PairingSolver.solve(instance)
            guard let leaving = instance.helpers.first(where: { $0.compound == "c0" }) else { continue }
            let after = PairingRepair.repair(instance, previous: before, unavailable: [leaving.id]).result
            for person in instance.people where person.compound != "c0" {
                #expect(after.primary[person.id] == before.primary[person.id] && after.backup[person.id] == before.backup[person.id])
            }
            // The same as re-pairing the whole instance the long way: costs add up per compound.
            let distance = PairingSolver.Distance(instance)
            let helpers = Dictionary(uniqueKeysWithValues: instance.helpers.filter { $0.id != leaving.id }.map { ($0.id, $0) })
            #expect(PairingSolver.cost(of: after.primary, people: instance.people, helpers: helpers, distance: distance) == after.cost.primary)
            #expect(PairingSolver.cost(of: after.backup, people: instance.people, helpers: helpers, distance: distance) == after.cost.backup)
        }
    }
}
