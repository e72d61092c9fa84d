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
///
/// At district scale a compound has hundreds of people and helpers, so the flow starts with each
/// person's few cheapest arcs only, and the solution is then checked against every arc left out
/// (`CandidateArcs`): the final potentials prove it optimal for the whole graph or name the arcs
/// that must come in, and the flow is solved again with them. Compounds are independent and are
/// solved side by side.
public enum PairingSolver {
    /// Solves `instance`; the caller has checked `instance.problem()` (a bad number would be
    /// clamped, never trapped on, but the answer would not be the one asked for).
    public static func solve(_ instance: PairingInstance) -> PairingResult {
        solve(instance, stage: stage)
    }

    typealias Stage = @Sendable (_ people: [PairingInstance.Person], _ helpers: [PairingInstance.Helper], _ distance: Distance, _ excluded: [String: String], _ pins: Bool)
        -> (pairs: [String: String], cost: Int64)

    static func solve(_ instance: PairingInstance, stage: Stage) -> PairingResult {
        let distance = Distance(instance)
        let helpersByCompound = Dictionary(grouping: instance.helpers, by: \.compound)
        let compounds = Dictionary(grouping: instance.people, by: \.compound).sorted { $0.key < $1.key }
        let solved = ConcurrentMap.map(compounds, weight: { $0.value.count }) { compound, people in
            let helpers = helpersByCompound[compound] ?? []
            let first = stage(people, helpers, distance, [:], true)
            let second = stage(people, helpers, distance, first.pairs, false)
            return (first, second)
        }
        var primary: [String: String] = [:]
        var backup: [String: String] = [:]
        var cost = PairingResult.Cost(primary: 0, backup: 0)
        for (first, second) in solved {
            primary.merge(first.pairs) { current, _ in current }
            cost.primary += first.cost
            backup.merge(second.pairs) { current, _ in current }
            cost.backup += second.cost
        }
        let unpaired = instance.people.map(\.id).filter { primary[$0] == nil }
        return PairingResult(primary: primary, backup: backup, unpaired: unpaired, cost: cost)
    }

    /// What one stage's pairs cost: each pair's distance, and 4 × (0 + 1 + … + (n − 1)) for a
    /// helper who takes n. Nil when a pair names a helper not in `helpers`.
    public static func cost(of pairs: [String: String], people: [PairingInstance.Person], helpers: [String: PairingInstance.Helper], distance: Distance) -> Int64? {
        var taken: [String: Int] = [:]
        var total: Int64 = 0
        for person in people {
            guard let helperID = pairs[person.id] else { continue }
            guard let helper = helpers[helperID] else { return nil }
            taken[helperID, default: 0] += 1
            total += distance(person, helper)
        }
        for n in taken.values {
            let n64 = Int64(n)
            total += 2 * n64 * (n64 - 1)
        }
        return total
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
            if person.building == helper.building { return Self.floors(person.floor, helper.floor) }
            return Self.across(position(person.compound, person.building), position(helper.compound, helper.building))
        }

        func position(_ compound: String, _ building: String) -> (Double, Double)? {
            positions[BuildingKey(compound: compound, building: building)]
        }

        /// Within one building: the difference of the floors, clamped to the bounds.
        static func floors(_ a: Int, _ b: Int) -> Int64 {
            let bounds = PairingInstance.floors
            return Int64(abs(min(max(a, bounds.lowerBound), bounds.upperBound) - min(max(b, bounds.lowerBound), bounds.upperBound)))
        }

        /// Between two buildings of a compound.
        static func across(_ from: (Double, Double)?, _ to: (Double, Double)?) -> Int64 {
            guard let from, let to else { return 30 }
            let metres = ((from.0 - to.0) * (from.0 - to.0) + (from.1 - to.1) * (from.1 - to.1)).squareRoot()
            // Coordinates are bounded (±1,000,000 m), so this fits; a value out of bounds is clamped.
            let tens = (min(metres.isNaN ? 3_000_000 : metres, 3_000_000) / 10).rounded(.up)
            return 20 + Int64(tens)
        }
    }
}
