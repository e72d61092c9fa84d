import Foundation

/// Pairs each registered person with a primary and a backup helper of their compound, exactly
/// optimal for this cost (docs/CARE.md states it as the solver computes it):
///
/// - a person and a helper can be paired only in the same compound, and only if the helper has
///   every skill the person needs;
/// - distance: in the same building, the difference of their floors; in another building of the
///   compound, 20 + ⌈metres between the two buildings / 10⌉ where both buildings have a position,
///   else 30;
/// - load: the k-th person a helper takes in one stage (k = 1 … capacity, capacity 3 unless the
///   helper says otherwise) adds 4 × (k − 1);
/// - primary stage: pair as many people as possible, then at the least total distance + load;
/// - backup stage, with the primaries fixed: each person gets a backup who is not their primary,
///   same rules and a separate capacity: as many as possible, then the least total;
/// - a manual pin (`pinned`: the id of the person's primary helper) is kept, counts against
///   capacity and takes the first load slots.
///
/// Each compound is one min-cost flow per stage: source → person (1) → eligible helper (distance)
/// → sink through one arc per load slot (cost 4 × (k − 1)). Load costs grow with k, so the
/// cheapest flow fills a helper's slots in order, and successive shortest paths give the cheapest
/// among the largest flows: as many as possible, then the least total.
public enum PairingSolver {
    /// Solves `instance`; the caller has checked `instance.problem()` (a bad number would be
    /// clamped, never trapped on, but the answer would not be the one asked for).
    public static func solve(_ instance: PairingInstance) -> PairingResult {
        let distance = Distance(instance)
        var primary: [String: String] = [:]
        var backup: [String: String] = [:]
        var cost = PairingResult.Cost(primary: 0, backup: 0)
        let helpersByCompound = Dictionary(grouping: instance.helpers, by: \.compound)
        for (compound, people) in Dictionary(grouping: instance.people, by: \.compound).sorted(by: { $0.key < $1.key }) {
            let helpers = helpersByCompound[compound] ?? []
            let first = stage(people: people, helpers: helpers, distance: distance, excluded: [:], pins: true)
            primary.merge(first.pairs) { current, _ in current }
            cost.primary += first.cost
            let second = stage(people: people, helpers: helpers, distance: distance, excluded: first.pairs, pins: false)
            backup.merge(second.pairs) { current, _ in current }
            cost.backup += second.cost
        }
        let unpaired = instance.people.map(\.id).filter { primary[$0] == nil }
        return PairingResult(primary: primary, backup: backup, unpaired: unpaired, cost: cost)
    }

    /// Whether `helper` may take `person` at all: same compound, every needed skill.
    public static func eligible(_ person: PairingInstance.Person, _ helper: PairingInstance.Helper) -> Bool {
        person.compound == helper.compound && Set(person.needs ?? []).isSubset(of: Set(helper.skills ?? []))
    }

    /// The cost of the k-th person (from 1) a helper takes in one stage.
    public static func loadCost(_ k: Int) -> Int64 { 4 * Int64(max(0, k - 1)) }

    public static func capacity(of helper: PairingInstance.Helper) -> Int {
        min(max(helper.capacity ?? PairingInstance.defaultCapacity, PairingInstance.capacities.lowerBound), PairingInstance.capacities.upperBound)
    }

    struct BuildingKey: Hashable {
        var compound: String
        var building: String
    }

    /// Distance between a person and a helper of the same compound.
    public struct Distance: Sendable {
        let positions: [BuildingKey: (Double, Double)]

        public init(_ instance: PairingInstance) {
            positions = Dictionary(
                (instance.buildings ?? []).compactMap { building -> (BuildingKey, (Double, Double))? in
                    guard let x = building.x, let y = building.y else { return nil }
                    return (BuildingKey(compound: building.compound, building: building.building), (x, y))
                },
                uniquingKeysWith: { first, _ in first }
            )
        }

        public func callAsFunction(_ person: PairingInstance.Person, _ helper: PairingInstance.Helper) -> Int64 {
            if person.building == helper.building {
                let floors = PairingInstance.floors
                let a = min(max(person.floor, floors.lowerBound), floors.upperBound), b = min(max(helper.floor, floors.lowerBound), floors.upperBound)
                return Int64(abs(a - b))
            }
            guard let from = positions[BuildingKey(compound: person.compound, building: person.building)],
                  let to = positions[BuildingKey(compound: helper.compound, building: helper.building)] else { return 30 }
            let metres = ((from.0 - to.0) * (from.0 - to.0) + (from.1 - to.1) * (from.1 - to.1)).squareRoot()
            // Coordinates are bounded (±1,000,000 m), so this fits; a value out of bounds is clamped.
            let tens = (min(metres, 3_000_000) / 10).rounded(.up)
            return 20 + Int64(tens)
        }
    }

    /// One stage in one compound. `excluded` forbids each person their primary (the backup stage);
    /// with `pins`, pinned people keep their helper and fill that helper's first load slots.
    static func stage(people: [PairingInstance.Person], helpers: [PairingInstance.Helper], distance: Distance, excluded: [String: String], pins: Bool)
        -> (pairs: [String: String], cost: Int64) {
        var pairs: [String: String] = [:]
        var cost: Int64 = 0
        var used: [String: Int] = [:]
        let helperIndex = Dictionary(helpers.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var free: [PairingInstance.Person] = []
        for person in people {
            if pins, let pinned = person.pinned, let index = helperIndex[pinned] {
                let helper = helpers[index]
                let slot = used[helper.id, default: 0] + 1
                pairs[person.id] = helper.id
                used[helper.id] = slot
                cost += distance(person, helper) + loadCost(slot)
            } else {
                free.append(person)
            }
        }
        // Nodes: 0 source, 1 sink, then people, then helpers.
        let source = 0, sink = 1
        var flow = MinCostFlow(nodes: 2 + free.count + helpers.count)
        var candidates: [[(helper: Int, arc: (node: Int, index: Int))]] = Array(repeating: [], count: free.count)
        for (p, person) in free.enumerated() {
            flow.addArc(from: source, to: 2 + p, capacity: 1, cost: 0)
            for (h, helper) in helpers.enumerated() where eligible(person, helper) && excluded[person.id] != helper.id {
                let arc = flow.addArc(from: 2 + p, to: 2 + free.count + h, capacity: 1, cost: distance(person, helper))
                candidates[p].append((h, arc))
            }
        }
        for (h, helper) in helpers.enumerated() {
            let taken = used[helper.id, default: 0]
            let capacity = capacity(of: helper)
            guard taken < capacity else { continue }
            for k in (taken + 1)...capacity {
                flow.addArc(from: 2 + free.count + h, to: sink, capacity: 1, cost: loadCost(k))
            }
        }
        let solved = flow.solve(source: source, sink: sink)
        cost += solved.cost
        for (p, person) in free.enumerated() {
            if let chosen = candidates[p].first(where: { flow.flow(on: $0.arc) > 0 }) {
                pairs[person.id] = helpers[chosen.helper].id
            }
        }
        return (pairs, cost)
    }
}
