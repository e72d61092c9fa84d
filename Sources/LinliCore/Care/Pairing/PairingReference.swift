/// The plain formulation, kept as the reference the fast solver is tested against: one arc for
/// every person and eligible helper of a compound, nothing left out, nothing to certify.
enum PairingReference {
    static func solve(_ instance: PairingInstance) -> PairingResult {
        PairingSolver.solve(instance, stage: stage)
    }

    static func stage(people: [PairingInstance.Person], helpers: [PairingInstance.Helper], distance: PairingSolver.Distance, excluded: [String: String], pins: Bool)
        -> (pairs: [String: String], cost: Int64) {
        var pinned = PairingSolver.Pinned(people: people, helpers: helpers, distance: distance, pins: pins)
        let free = pinned.free
        // Nodes: 0 source, 1 sink, then people, then helpers.
        let source = 0, sink = 1
        var flow = MinCostFlow(nodes: 2 + free.count + helpers.count)
        var candidates: [[(helper: Int, arc: Int)]] = Array(repeating: [], count: free.count)
        for (p, person) in free.enumerated() {
            flow.addArc(from: source, to: 2 + p, capacity: 1, cost: 0)
            for (h, helper) in helpers.enumerated() where PairingSolver.eligible(person, helper) && excluded[person.id] != helper.id {
                let arc = flow.addArc(from: 2 + p, to: 2 + free.count + h, capacity: 1, cost: distance(person, helper))
                candidates[p].append((h, arc))
            }
        }
        for (h, helper) in helpers.enumerated() {
            let taken = pinned.used[h]
            let capacity = PairingSolver.capacity(of: helper)
            guard taken < capacity else { continue }
            for k in (taken + 1)...capacity {
                flow.addArc(from: 2 + free.count + h, to: sink, capacity: 1, cost: PairingSolver.loadCost(k))
            }
        }
        let solved = flow.solve(source: source, sink: sink)
        for (p, person) in free.enumerated() {
            if let chosen = candidates[p].first(where: { flow.flow(on: $0.arc) > 0 }) {
                pinned.pairs[person.id] = helpers[chosen.helper].id
            }
        }
        return (pinned.pairs, pinned.cost + solved.cost)
    }
}
