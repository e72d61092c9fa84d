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
        let capacity = Dictionary(helpers.map { ($0.id, PairingSolver.capacity(of: $0)) }, uniquingKeysWith: { first, _ in first })
        var taken: [String: Int] = [:]
        var people = instance.people.map { person -> PairingInstance.Person in
            var person = person
            if let pin = person.pinned, unavailable.contains(pin) { person.pinned = nil }
            return person
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
        let result = PairingSolver.solve(PairingInstance(buildings: instance.buildings, people: people, helpers: helpers))
        let moved = instance.people.map(\.id).filter { previous.primary[$0] != result.primary[$0] }
        return Outcome(result: result, moved: moved)
    }
}
