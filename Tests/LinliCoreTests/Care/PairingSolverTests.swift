import Foundation
import LinliCore
import PropertyBased
import Testing

@Suite("Pairing people with helpers: exactly optimal for the stated cost")
struct PairingSolverTests {
    typealias Person = PairingInstance.Person
    typealias Helper = PairingInstance.Helper

    @Test("the documented example: primary one floor-distance away, backup in the other building")
    func example() throws {
        let json = #"""
        {"buildings": [{"compound": "c1", "building": "3", "x": 10, "y": 20},
                       {"compound": "c1", "building": "5", "x": 40, "y": 60}],
         "people":  [{"id": "r1", "compound": "c1", "building": "3", "floor": 5, "needs": []}],
         "helpers": [{"id": "v1", "compound": "c1", "building": "3", "floor": 2, "skills": ["medical"], "capacity": 3},
                     {"id": "v2", "compound": "c1", "building": "5", "floor": 9, "skills": []}]}
        """#
        let instance = try JSONDecoder().decode(PairingInstance.self, from: Data(json.utf8))
        #expect(instance.problem() == nil)
        let result = PairingSolver.solve(instance)
        #expect(result.primary == ["r1": "v1"] && result.backup == ["r1": "v2"] && result.unpaired.isEmpty)
        #expect(result.cost.primary == 3 && result.cost.backup == 25, "floors 5 − 2; 20 + ⌈50 m / 10⌉")
    }

    @Test("the load makes a second helper worth a longer walk; capacity and skills are hard limits; pins are kept")
    func loadCapacitySkillsPins() {
        let helpers = [Helper(id: "near", compound: "c", building: "1", floor: 1, capacity: 2), Helper(id: "far", compound: "c", building: "1", floor: 6)]
        let people = (1...3).map { Person(id: "p\($0)", compound: "c", building: "1", floor: 1) }
        let result = PairingSolver.solve(PairingInstance(people: people, helpers: helpers))
        // near takes two (0 + 4), far one (5 floors): 9, better than near×2 + far: the same; never three on near.
        #expect(result.primary.values.filter { $0 == "near" }.count <= 2)
        #expect(result.cost.primary == 0 + 0 + 4 + 5)
        let needy = Person(id: "d", compound: "c", building: "1", floor: 1, needs: ["medical"])
        let skilled = Helper(id: "doctor", compound: "c", building: "1", floor: 30, skills: ["medical"])
        let skills = PairingSolver.solve(PairingInstance(people: [needy], helpers: helpers + [skilled]))
        #expect(skills.primary["d"] == "doctor" && skills.backup["d"] == nil, "only the doctor has the skill, and a backup is never the primary")
        let pinned = Person(id: "x", compound: "c", building: "1", floor: 1, pinned: "far")
        let pins = PairingSolver.solve(PairingInstance(people: [pinned], helpers: helpers))
        #expect(pins.primary["x"] == "far" && pins.backup["x"] == "near")
        let elsewhere = PairingSolver.solve(PairingInstance(people: [Person(id: "o", compound: "other", building: "1", floor: 1)], helpers: helpers))
        #expect(elsewhere.unpaired == ["o"] && elsewhere.backup.isEmpty, "nobody crosses a compound")
    }

    @Test("numbers out of bounds are refused in words before solving")
    func bounds() {
        #expect(PairingInstance(people: [Person(id: "a", compound: "c", building: "1", floor: 100_000)], helpers: []).problem() != nil)
        #expect(PairingInstance(people: [], helpers: [Helper(id: "h", compound: "c", building: "1", floor: 1, capacity: -1)]).problem() != nil)
        #expect(PairingInstance(buildings: [.init(compound: "c", building: "1", x: .infinity, y: 0)], people: [], helpers: []).problem() != nil)
        #expect(PairingInstance(people: [Person(id: "a", compound: "c", building: "1", floor: 1), Person(id: "a", compound: "c", building: "1", floor: 2)], helpers: []).problem() != nil)
    }

    // MARK: - Against an exhaustive search

    static let skills = ["medical", "driver"]
    static let person = zip(Gen.int(in: 0...1), Gen.int(in: 1...3), Gen.int(in: 1...12), Gen.int(in: 0...3)).map { compound, building, floor, needs in
        (compound: "c\(compound)", building: "\(building)", floor: floor, needs: needs)
    }
    static let helper = zip(Gen.int(in: 0...1), Gen.int(in: 1...3), Gen.int(in: 1...12), Gen.int(in: 0...3), Gen.int(in: 0...3)).map { compound, building, floor, skills, capacity in
        (compound: "c\(compound)", building: "\(building)", floor: floor, skills: skills, capacity: capacity)
    }
    static let instance = zip(person.array(of: 1...5), helper.array(of: 1...3), Gen.int(in: 0...2)).map { people, helpers, positioned in
        PairingInstance(
            buildings: (1...3).filter { $0 <= positioned + 1 }.flatMap { b in ["c0", "c1"].map { PairingInstance.Building(compound: $0, building: "\(b)", x: Double(b * 37), y: Double(b * b * 11)) } },
            people: people.enumerated().map { index, p in
                Person(id: "p\(index)", compound: p.compound, building: p.building, floor: p.floor, needs: mask(p.needs))
            },
            helpers: helpers.enumerated().map { index, h in
                Helper(id: "h\(index)", compound: h.compound, building: h.building, floor: h.floor, skills: mask(h.skills), capacity: h.capacity)
            }
        )
    }

    static func mask(_ bits: Int) -> [String] { skills.enumerated().filter { bits & (1 << $0.offset) != 0 }.map(\.element) }

    /// The best assignment by trying every one: (people paired, least cost).
    static func exhaustive(_ people: [Person], _ helpers: [Helper], distance: PairingSolver.Distance, excluded: [String: String]) -> (count: Int, cost: Int64) {
        var best = (count: 0, cost: Int64.max)
        var load = [Int](repeating: 0, count: helpers.count)
        func visit(_ index: Int, count: Int, cost: Int64) {
            if index == people.count {
                if count > best.count || (count == best.count && cost < best.cost) { best = (count, cost) }
                return
            }
            visit(index + 1, count: count, cost: cost)
            for (h, helper) in helpers.enumerated() where PairingSolver.eligible(people[index], helper) && excluded[people[index].id] != helper.id && load[h] < PairingSolver.capacity(of: helper) {
                load[h] += 1
                visit(index + 1, count: count + 1, cost: cost + distance(people[index], helper) + PairingSolver.loadCost(load[h]))
                load[h] -= 1
            }
        }
        visit(0, count: 0, cost: 0)
        return (best.count, best.count == 0 ? 0 : best.cost)
    }

    @Test("on small instances the solver pairs as many as an exhaustive search, at its least cost, in both stages, within every rule")
    func matchesExhaustiveSearch() async {
        await propertyCheck(count: 400, input: Self.instance) { instance in
            let result = PairingSolver.solve(instance)
            let distance = PairingSolver.Distance(instance)
            let helpers = Dictionary(uniqueKeysWithValues: instance.helpers.map { ($0.id, $0) })
            let people = Dictionary(uniqueKeysWithValues: instance.people.map { ($0.id, $0) })
            for (stage, pairs) in [("primary", result.primary), ("backup", result.backup)] {
                for (personID, helperID) in pairs {
                    let person = people[personID]!, helper = helpers[helperID]!
                    #expect(PairingSolver.eligible(person, helper), "\(stage): same compound, every needed skill")
                }
                for helper in instance.helpers {
                    #expect(pairs.values.filter { $0 == helper.id }.count <= PairingSolver.capacity(of: helper), "\(stage): capacity")
                }
            }
            for (personID, helperID) in result.backup { #expect(result.primary[personID] != helperID, "a backup is never the primary") }
            #expect(Set(result.unpaired) == Set(instance.people.map(\.id)).subtracting(result.primary.keys))
            for (compound, group) in Dictionary(grouping: instance.people, by: \.compound) {
                let compoundHelpers = instance.helpers.filter { $0.compound == compound }
                let best = Self.exhaustive(group, compoundHelpers, distance: distance, excluded: [:])
                let paired = group.filter { result.primary[$0.id] != nil }
                #expect(paired.count == best.count, "as many paired as possible")
                let primaries = result.primary.filter { people[$0.key]?.compound == compound }
                let bestBackup = Self.exhaustive(group, compoundHelpers, distance: distance, excluded: primaries)
                #expect(group.filter { result.backup[$0.id] != nil }.count == bestBackup.count, "as many backups as possible")
            }
            let bestPrimary = Dictionary(grouping: instance.people, by: \.compound).map { compound, group in
                Self.exhaustive(group, instance.helpers.filter { $0.compound == compound }, distance: distance, excluded: [:]).cost
            }.reduce(0, +)
            #expect(result.cost.primary == bestPrimary, "the least total distance + load")
            let bestBackup = Dictionary(grouping: instance.people, by: \.compound).map { compound, group in
                Self.exhaustive(group, instance.helpers.filter { $0.compound == compound }, distance: distance, excluded: result.primary).cost
            }.reduce(0, +)
            #expect(result.cost.backup == bestBackup, "the least total for the backups, primaries fixed")
            // The reported cost is what the pairs cost.
            var load: [String: Int] = [:]
            var recomputed: Int64 = 0
            for person in instance.people {
                guard let helperID = result.primary[person.id], let helper = helpers[helperID] else { continue }
                load[helperID, default: 0] += 1
                recomputed += distance(person, helper)
            }
            recomputed += load.values.map { n in (1...max(n, 1)).map { PairingSolver.loadCost($0) }.reduce(0, +) }.reduce(0, +)
            #expect(recomputed == result.cost.primary)
        }
    }
}

@Suite("Re-pairing when helpers become unavailable")
struct PairingRepairTests {
    @Test("backups move up, the rest is paired again, nobody else is disturbed, pins to helpers still there survive")
    func repairs() async {
        let instance = zip(PairingSolverTests.instance, Gen.int(in: 0...7))
        await propertyCheck(count: 300, input: instance) { instance, leaving in
            let before = PairingSolver.solve(instance)
            let gone = Set(instance.helpers.enumerated().filter { leaving & (1 << $0.offset) != 0 }.map(\.element.id))
            let outcome = PairingRepair.repair(instance, previous: before, unavailable: gone)
            let after = outcome.result
            #expect(!after.primary.values.contains(where: gone.contains) && !after.backup.values.contains(where: gone.contains), "nobody is paired with a helper who left")
            let helpers = Dictionary(uniqueKeysWithValues: instance.helpers.map { ($0.id, $0) })
            let people = Dictionary(uniqueKeysWithValues: instance.people.map { ($0.id, $0) })
            for person in instance.people {
                if let primary = before.primary[person.id], !gone.contains(primary) {
                    #expect(after.primary[person.id] == primary, "\(person.id) keeps a primary who is still there")
                }
            }
            for person in instance.people {
                if let backup = before.backup[person.id], !gone.contains(backup), after.primary[person.id] != backup {
                    #expect(after.backup[person.id] == backup, "\(person.id) keeps a backup who is still there")
                }
                if let backup = after.backup[person.id] { #expect(after.primary[person.id] != backup, "a backup is never the primary") }
            }
            for (personID, helperID) in after.primary.merging(after.backup.map { ("b:" + $0.key, $0.value) }, uniquingKeysWith: { first, _ in first }) {
                #expect(PairingSolver.eligible(people[personID.hasPrefix("b:") ? String(personID.dropFirst(2)) : personID]!, helpers[helperID]!))
            }
            for helper in instance.helpers where !gone.contains(helper.id) {
                #expect(after.primary.values.filter { $0 == helper.id }.count <= PairingSolver.capacity(of: helper), "capacity holds")
                #expect(after.backup.values.filter { $0 == helper.id }.count <= PairingSolver.capacity(of: helper), "backup capacity holds")
            }
            let distance = PairingSolver.Distance(instance)
            #expect(after.cost.primary == PairingSolver.cost(of: after.primary, people: instance.people, helpers: helpers, distance: distance), "the primary cost told is the pairs' cost")
            #expect(after.cost.backup == PairingSolver.cost(of: after.backup, people: instance.people, helpers: helpers, distance: distance), "the backup cost told is the pairs' cost")
            // Whoever lost a primary and has none now: no helper with room could take them.
            for person in instance.people where before.primary[person.id].map(gone.contains) == true && after.primary[person.id] == nil {
                let room = instance.helpers.filter { !gone.contains($0.id) && PairingSolver.eligible(person, $0) && after.primary.values.filter { [id = $0.id] in $0 == id }.count < PairingSolver.capacity(of: $0) }
                #expect(room.isEmpty, "\(person.id) left unpaired while a helper has room")
            }
            #expect(Set(outcome.moved) == Set(instance.people.map(\.id).filter { before.primary[$0] != after.primary[$0] }))
        }
    }

    @Test("a backup with room becomes the primary")
    func backupMovesUp() {
        typealias Person = PairingInstance.Person
        typealias Helper = PairingInstance.Helper
        let instance = PairingInstance(
            people: [Person(id: "p", compound: "c", building: "1", floor: 3)],
            helpers: [Helper(id: "a", compound: "c", building: "1", floor: 3), Helper(id: "b", compound: "c", building: "1", floor: 5), Helper(id: "c", compound: "c", building: "1", floor: 4)]
        )
        let before = PairingSolver.solve(instance)
        #expect(before.primary["p"] == "a" && before.backup["p"] == "c")
        let after = PairingRepair.repair(instance, previous: before, unavailable: ["a"])
        #expect(after.result.primary["p"] == "c" && after.result.backup["p"] == "b" && after.moved == ["p"])
    }
}
