/// When helpers become unavailable (quarantined, infected, left), everyone they covered is paired
/// again in one step, disturbing nobody else:
///
/// 1. People whose primary is still available keep them.
/// 2. People who lost their primary get their backup as primary, while the backup has room.
/// 3. The rest are paired again, optimally, with the room that is left (kept primaries fill their
///    helpers' first load slots, so the k-th newcomer of a helper who keeps m pays 4 × (m + k − 1)).
/// 4. People whose backup is still available, and is not now their primary, keep it; the others
///    get a backup, optimally, with the backup room that is left, never their primary.
///
/// Manual pins to available helpers survive; a pin to a helper who left is dropped. Steps 3 and 4
/// are the solver's own stages with everyone kept pinned, so only the people who need a helper
/// are in the flow: re-pairing costs far less than a first pairing.
public enum PairingRepair {
    public struct Outcome: Sendable, Hashable {
        public var result: PairingResult
        /// People whose primary changed (moved up from backup, paired again, or left unpaired).
        public var moved: [String]
    }

    public static func repair(_ instance: PairingInstance, previous: PairingResult, unavailable: Set<String>) -> Outcome {
        let helpers = instance.helpers.filter { !unavailable.contains($0.id) }
        let available = Dictionary(helpers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // A compound nobody left keeps its pairing as it was: its people and helpers are
        // unchanged, so the previous pairing still answers it, and solving it again would cost
        // the time of a first pairing for nothing. A pair that no longer fits (a helper who left,
        // or is not in the compound) sends the compound through the steps above.
        var affected = Set(instance.helpers.filter { unavailable.contains($0.id) }.map(\.compound))
        for person in instance.people where !affected.contains(person.compound) {
            for helperID in [previous.primary[person.id], previous.backup[person.id], person.pinned].compactMap({ $0 }) where available[helperID]?.compound != person.compound {
                affected.insert(person.compound)
            }
        }
        let capacity = available.mapValues { PairingSolver.capacity(of: $0) }
        var taken: [String: Int] = [:]
        var people: [PairingInstance.Person] = []
        for person in instance.people where affected.contains(person.compound) {
            var person = person
            if let pin = person.pinned, unavailable.contains(pin) { person.pinned = nil }
            people.append(person)
        }
        // Kept first: pinned people and those whose primary stays.
        for index in people.indices {
            let person = people[index]
            if let pin = person.pinned {
                taken[pin, default: 0] += 1
            } else if let primary = previous.primary[person.id], capacity[primary] != nil {
                people[index].pinned = primary
                taken[primary, default: 0] += 1
            }
        }
        // Then backups move up, in the order people are listed, while they have room.
        for index in people.indices where people[index].pinned == nil {
            let person = people[index]
            guard previous.primary[person.id] != nil, let backup = previous.backup[person.id], let room = capacity[backup],
                  taken[backup, default: 0] < room else { continue }
            people[index].pinned = backup
            taken[backup, default: 0] += 1
        }
        let distance = PairingSolver.Distance(instance)
        let helpersByCompound = Dictionary(grouping: helpers.filter { affected.contains($0.compound) }, by: \.compound)
        let compounds = Dictionary(grouping: people, by: \.compound).sorted { $0.key < $1.key }
        let solved = ConcurrentMap.map(compounds, weight: { $0.value.count }) { compound, people in
            let helpers = helpersByCompound[compound] ?? []
            let first = PairingSolver.stage(people: people, helpers: helpers, distance: distance, excluded: [:], pins: true)
            let backups = people.map { person -> PairingInstance.Person in
                var person = person
                person.pinned = previous.backup[person.id].flatMap { backup in
                    available[backup] != nil && first.pairs[person.id] != backup ? backup : nil
                }
                return person
            }
            let second = PairingSolver.stage(people: backups, helpers: helpers, distance: distance, excluded: first.pairs, pins: true)
            return (first, second)
        }
        var result = PairingResult(primary: [:], backup: [:], unpaired: [], cost: PairingResult.Cost(primary: 0, backup: 0))
        for (first, second) in solved {
            result.primary.merge(first.pairs) { current, _ in current }
            result.cost.primary += first.cost
            result.backup.merge(second.pairs) { current, _ in current }
            result.cost.backup += second.cost
        }
        let kept = instance.people.filter { !affected.contains($0.compound) }
        for person in kept {
            result.primary[person.id] = previous.primary[person.id]
            result.backup[person.id] = previous.backup[person.id]
        }
        // Every pair of a kept compound is to an available helper of it (checked above).
        result.cost.primary += PairingSolver.cost(of: previous.primary, people: kept, helpers: available, distance: distance) ?? 0
        result.cost.backup += PairingSolver.cost(of: previous.backup, people: kept, helpers: available, distance: distance) ?? 0
        result.unpaired = instance.people.map(\.id).filter { result.primary[$0] == nil }
        let moved = instance.people.map(\.id).filter { previous.primary[$0] != result.primary[$0] }
        return Outcome(result: result, moved: moved)
    }
}
