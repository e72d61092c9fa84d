import Foundation

extension PairingSolver {
    /// Arcs each person starts with: enough that the first solve is almost always already optimal
    /// (a few helpers beyond the nearest cover full floors and the load), few enough that a
    /// compound of hundreds of helpers stays a small graph.
    static let startingCandidates = 8

    /// Pinned people keep their helper and fill that helper's first load slots; the rest are free.
    struct Pinned {
        var pairs: [String: String] = [:]
        var cost: Int64 = 0
        /// Slots taken, by index in the stage's helpers.
        var used: [Int]
        var free: [PairingInstance.Person] = []

        init(people: [PairingInstance.Person], helpers: [PairingInstance.Helper], distance: Distance, pins: Bool) {
            used = Array(repeating: 0, count: helpers.count)
            guard pins, people.contains(where: { $0.pinned != nil }) else {
                free = people
                return
            }
            let helperIndex = Dictionary(helpers.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
            for person in people {
                if pins, let pinned = person.pinned, let index = helperIndex[pinned] {
                    used[index] += 1
                    pairs[person.id] = pinned
                    cost += distance(person, helpers[index]) + loadCost(used[index])
                } else {
                    free.append(person)
                }
            }
        }
    }

    /// One stage in one compound. `excluded` forbids each person their primary (the backup stage);
    /// with `pins`, pinned people keep their helper and fill that helper's first load slots.
    ///
    /// The flow is the per-pair one the type's comment describes, on a subset of the person →
    /// helper arcs: each person's `startingCandidates` nearest eligible helpers. After solving,
    /// every arc left out is priced with the final potentials. The solution is optimal on the whole
    /// graph when no left-out arc (1) leads from a node the source still reaches to one it does not
    /// (then no augmenting path exists: as many as possible are paired) and (2) has a negative
    /// reduced cost (then no residual cycle is negative: the cost is the least for that number).
    /// Arcs failing either test are added and the flow is solved again; arcs only ever come in,
    /// so this ends, at worst with the whole graph.
    static func stage(people: [PairingInstance.Person], helpers: [PairingInstance.Helper], distance: Distance, excluded: [String: String], pins: Bool)
        -> (pairs: [String: String], cost: Int64) {
        var pinned = Pinned(people: people, helpers: helpers, distance: distance, pins: pins)
        let free = pinned.free
        let n = free.count, m = helpers.count
        guard n > 0, m > 0 else { return (pinned.pairs, pinned.cost) }
        let room = helpers.indices.map { capacity(of: helpers[$0]) - pinned.used[$0] }
        let arcs = CandidateArcs(people: free, helpers: helpers, distance: distance, excluded: excluded, room: room)
        var candidates = arcs.nearest(startingCandidates)
        let source = 0, sink = 1
        func personNode(_ p: Int) -> Int { 2 + p }
        func helperNode(_ h: Int) -> Int { 2 + n + h }
        while true {
            var flow = MinCostFlow(nodes: 2 + n + m)
            var arcIDs: [[Int]] = Array(repeating: [], count: n)
            for p in 0..<n {
                flow.addArc(from: source, to: personNode(p), capacity: 1, cost: 0)
                arcIDs[p] = candidates[p].map { flow.addArc(from: personNode(p), to: helperNode($0), capacity: 1, cost: arcs.cost(p, $0)) }
            }
            for h in 0..<m where room[h] > 0 {
                for k in (pinned.used[h] + 1)...(pinned.used[h] + room[h]) {
                    flow.addArc(from: helperNode(h), to: sink, capacity: 1, cost: loadCost(k))
                }
            }
            let solved = flow.solve(source: source, sink: sink)
            let reachable = flow.reachable, potential = flow.potential
            let missing = arcs.violations(of: candidates) { p, h, cost in
                let from = personNode(p), to = helperNode(h)
                return (reachable[from] && !reachable[to]) || cost + potential[from] - potential[to] < 0
            }
            if missing.isEmpty {
                for p in 0..<n {
                    if let index = arcIDs[p].firstIndex(where: { flow.flow(on: $0) > 0 }) {
                        pinned.pairs[free[p].id] = helpers[candidates[p][index]].id
                    }
                }
                return (pinned.pairs, pinned.cost + solved.cost)
            }
            for (p, added) in missing { candidates[p] += added }
        }
    }
}

/// The person → helper arcs of one stage in one compound, with people and helpers as numbers so
/// a distance is arithmetic rather than string lookups.
struct CandidateArcs {
    private let personBuilding: [Int]
    private let personFloor: [Int]
    private let helperBuilding: [Int]
    private let helperFloor: [Int]
    private let positions: [(Double, Double)?]
    /// Eligible helpers with room, by person, through one list per distinct (compound, needs).
    private let eligibleLists: [[Int]]
    private let eligibleList: [Int]
    private let excluded: [Int?]
    private let helperCount: Int

    init(people: [PairingInstance.Person], helpers: [PairingInstance.Helper], distance: PairingSolver.Distance, excluded: [String: String], room: [Int]) {
        var buildingIndex: [PairingSolver.BuildingKey: Int] = [:]
        var positions: [(Double, Double)?] = []
        func index(_ compound: String, _ building: String) -> Int {
            let key = PairingSolver.BuildingKey(compound: compound, building: building)
            if let known = buildingIndex[key] { return known }
            buildingIndex[key] = positions.count
            positions.append(distance.position(compound, building))
            return positions.count - 1
        }
        personBuilding = people.map { index($0.compound, $0.building) }
        helperBuilding = helpers.map { index($0.compound, $0.building) }
        personFloor = people.map(\.floor)
        helperFloor = helpers.map(\.floor)
        self.positions = positions
        helperCount = helpers.count

        struct Needs: Hashable {
            var compound: String
            var skills: Set<String>
        }
        var skillSets: [Set<String>]?
        var lists: [Needs: Int] = [:]
        var eligibleLists: [[Int]] = []
        // Most people need nothing: they share the first list without hashing anything.
        let compound = people.first?.compound ?? ""
        eligibleLists.append(helpers.indices.filter { room[$0] > 0 && helpers[$0].compound == compound })
        eligibleList = people.map { person in
            if person.compound == compound, person.needs?.isEmpty ?? true { return 0 }
            let needs = Needs(compound: person.compound, skills: Set(person.needs ?? []))
            if let known = lists[needs] { return known }
            let skills = skillSets ?? helpers.map { Set($0.skills ?? []) }
            skillSets = skills
            lists[needs] = eligibleLists.count
            eligibleLists.append(helpers.indices.filter { room[$0] > 0 && helpers[$0].compound == needs.compound && needs.skills.isSubset(of: skills[$0]) })
            return eligibleLists.count - 1
        }
        self.eligibleLists = eligibleLists
        if excluded.isEmpty {
            self.excluded = Array(repeating: nil, count: people.count)
        } else {
            let helperIndex = Dictionary(helpers.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
            self.excluded = people.map { excluded[$0.id].flatMap { helperIndex[$0] } }
        }
    }

    /// The distance between person `p` and helper `h`, as `PairingSolver.Distance` computes it.
    func cost(_ p: Int, _ h: Int) -> Int64 {
        personBuilding[p] == helperBuilding[h]
            ? PairingSolver.Distance.floors(personFloor[p], helperFloor[h])
            : PairingSolver.Distance.across(positions[personBuilding[p]], positions[helperBuilding[h]])
    }

    /// Each person's `count` nearest eligible helpers, ties to the earlier helper.
    func nearest(_ count: Int) -> [[Int]] {
        var best: [(cost: Int64, helper: Int)] = []
        best.reserveCapacity(count + 1)
        return personBuilding.indices.map { p in
            best.removeAll(keepingCapacity: true)
            for h in eligibleLists[eligibleList[p]] where h != excluded[p] {
                let cost = cost(p, h)
                if best.count == count, let last = best.last, cost >= last.cost { continue }
                var at = best.count
                while at > 0, best[at - 1].cost > cost { at -= 1 }
                best.insert((cost, h), at: at)
                if best.count > count { best.removeLast() }
            }
            return best.map(\.helper)
        }
    }

    /// The eligible arcs not in `candidates` for which `violates(person, helper, distance)`, by person.
    func violations(of candidates: [[Int]], _ violates: (Int, Int, Int64) -> Bool) -> [(person: Int, helpers: [Int])] {
        var present = [Int](repeating: -1, count: helperCount)
        var found: [(person: Int, helpers: [Int])] = []
        for p in candidates.indices {
            for h in candidates[p] { present[h] = p }
            var added: [Int] = []
            for h in eligibleLists[eligibleList[p]] where present[h] != p && h != excluded[p] {
                if violates(p, h, cost(p, h)) { added.append(h) }
            }
            if !added.isEmpty { found.append((p, added)) }
        }
        return found
    }
}

/// `map` over independent items on every core, largest first so one big item does not finish
/// alone at the end; the results keep the items' order.
enum ConcurrentMap {
    private final class Slots<Result>: @unchecked Sendable {
        // Each index is written by exactly one iteration, and read only after all have finished.
        let buffer: UnsafeMutableBufferPointer<Result?>

        init(count: Int) {
            buffer = .allocate(capacity: count)
            buffer.initialize(repeating: nil)
        }

        deinit {
            buffer.deinitialize()
            buffer.deallocate()
        }
    }

    static func map<Item: Sendable, Result>(_ items: [Item], weight: (Item) -> Int, _ transform: @Sendable (Item) -> Result) -> [Result] {
        let slots = Slots<Result>(count: items.count)
        let order = items.indices.sorted { weight(items[$0]) != weight(items[$1]) ? weight(items[$0]) > weight(items[$1]) : $0 < $1 }
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            let item = order[index]
            slots.buffer[item] = transform(items[item])
        }
        return slots.buffer.compactMap { $0 }
    }
}
