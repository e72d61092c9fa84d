/// When helpers become unavailable (quarantined, infected, left), everyone they covered is paired
/// again in one step, disturbing nobody else:
///
/// 1. People whose primary is still available keep them.
/// 2. People who lost their primary get their backup as primary, while the backup has room.
/// 3. The rest are paired again, optimally, with the room that is left.
/// 4. Backups are solved again for everyone, since some became primaries or left.
///
/// Manual pins to available helpers survive; a pin to a helper who left is dropped. The steps are
/// pins on a copy of the instance, so the solver and its cost are the same as for a first pairing.
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
        var result = PairingSolver.solve(PairingInstance(buildings: instance.buildings, people: people, helpers: helpers.filter { affected.contains($0.compound) }))
        let kept = instance.people.filter { !affected.contains($0.compound) }
        let distance = PairingSolver.Distance(instance)
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
