import Foundation
import LinliCore
import LinliStore
import SQLKit

/// What a pairing run or a re-pairing did, per run.
struct PairingSummary: Sendable, Codable, Hashable {
    var compounds: [PlaceID]
    var people: Int
    var paired: Int
    var unpaired: Int
    var primaryCost: Int64
    var backupCost: Int64
    /// People whose primary or backup helper changed.
    var moved: Int
    /// Helpers told that they gained or lost people.
    var helpersNotified: Int

    enum CodingKeys: String, CodingKey {
        case compounds, people, paired, unpaired, primaryCost = "primary_cost", backupCost = "backup_cost", moved, helpersNotified = "helpers_notified"
    }

    static let empty = PairingSummary(compounds: [], people: 0, paired: 0, unpaired: 0, primaryCost: 0, backupCost: 0, moved: 0, helpersNotified: 0)

    mutating func add(_ other: PairingSummary) {
        compounds += other.compounds
        people += other.people
        paired += other.paired
        unpaired += other.unpaired
        primaryCost += other.primaryCost
        backupCost += other.backupCost
        moved += other.moved
        helpersNotified += other.helpersNotified
    }
}

/// One compound's pairing problem, read from the register and the volunteers.
struct CompoundPairing {
    var compound: Place
    var buildings: [PairingBuilding]
    var people: [PairingPerson]
    var helpers: [CareHelper]

    static func load(_ compound: Place, on db: any SQLDatabase) async throws -> CompoundPairing {
        CompoundPairing(
            compound: compound,
            buildings: try await CarePairingRecords.buildings(under: compound, on: db),
            people: try await CarePairingRecords.people(under: compound.path, on: db),
            helpers: try await CarePairingRecords.helpers(under: compound.path, on: db)
        )
    }

    /// A helper who reported to the compound itself lives in no building of it: they get a
    /// building of their own without a position, so they are 30 from everyone (the distance
    /// between two buildings of which one has no position).
    static func syntheticBuilding(_ helper: VolunteerID) -> String { "helper-\(helper)" }

    /// The solver's instance. Only available helpers take part; a pin to a helper who is not
    /// available is left out (it comes back into force when they return).
    func instance(including unavailable: Bool = false) -> PairingInstance {
        let compoundKey = "\(compound.id)"
        let buildingIDs = Set(buildings.map(\.id))
        let taking = helpers.filter { unavailable || $0.availability == .available }
        let available = Set(helpers.filter { $0.availability == .available }.map(\.volunteer.id))
        let people = people.map { person in
            PairingInstance.Person(
                id: "\(person.entry.id)", compound: compoundKey, building: "\(person.buildingID)", floor: RoomFloor.floor(ofRoom: person.room),
                needs: person.entry.needs, pinned: person.entry.pinnedHelperID.flatMap { available.contains($0) ? "\($0)" : nil }
            )
        }
        let helpers = taking.map { helper in
            let building = helper.buildingID.flatMap { buildingIDs.contains($0) ? "\($0)" : nil } ?? Self.syntheticBuilding(helper.volunteer.id)
            return PairingInstance.Helper(
                id: "\(helper.volunteer.id)", compound: compoundKey, building: building, floor: helper.room.map(RoomFloor.floor(ofRoom:)) ?? 1,
                skills: HelperSkills.skills(from: helper.volunteer.skills),
                capacity: min(max(helper.capacity ?? PairingInstance.defaultCapacity, PairingInstance.capacities.lowerBound), PairingInstance.capacities.upperBound)
            )
        }
        let planned = buildings.map { building in
            PairingInstance.Building(compound: compoundKey, building: "\(building.id)", x: building.planX.map(Double.init), y: building.planY.map(Double.init))
        }
        return PairingInstance(buildings: planned, people: people, helpers: helpers)
    }

    /// The pairing as stored.
    var stored: PairingResult {
        var primary: [String: String] = [:]
        var backup: [String: String] = [:]
        for person in people {
            if let helper = person.entry.primaryHelperID { primary["\(person.entry.id)"] = "\(helper)" }
            if let helper = person.entry.backupHelperID { backup["\(person.entry.id)"] = "\(helper)" }
        }
        return PairingResult(primary: primary, backup: backup, unpaired: people.filter { $0.entry.primaryHelperID == nil }.map { "\($0.entry.id)" },
                             cost: PairingResult.Cost(primary: 0, backup: 0))
    }
}

/// Pairing through the server: a run for a compound (or every compound under a place), and the
/// re-pairing when a helper becomes unavailable. Each writes the pairs, its audit entry and the
/// helpers' notifications in one transaction.
struct CarePairingService {
    let services: AppServices

    /// Pairs every compound at or under `place` anew.
    func run(place: Place, actor: String, traceID: String?) async throws -> PairingSummary {
        let now = services.now()
        return try await services.store.write { db in
            var summary = PairingSummary.empty
            for compound in try await CarePairingRecords.compounds(at: place, on: db) {
                let pairing = try await CompoundPairing.load(compound, on: db)
                let instance = pairing.instance()
                if let problem = instance.problem() {
                    // Bounds are checked where values enter; a row that slipped past them is logged, not paired.
                    services.logger.error("a compound's pairing instance is out of bounds", metadata: ["compound": "\(compound.id)", "problem": "\(problem)"])
                    continue
                }
                let result = PairingSolver.solve(instance)
                summary.add(try await store(result, for: pairing, action: "care.pairing.run", actor: actor, traceID: traceID, at: now, on: db))
            }
            return summary
        }
    }

    /// A helper the caller may see, where `capability` holds where the helper reported: 404
    /// outside the caller's places, 403 there without it.
    func requireHelper(_ id: VolunteerID, identity: UserIdentity, capability: Capability) async throws -> CareHelper {
        let helper = try await services.store.read { db in try await CarePairingRecords.helper(id: id, on: db) }
        guard let helper, identity.grants.allows(.viewDirectory, at: helper.volunteer.path) else { throw AppError.notFound }
        guard identity.grants.allows(capability, at: helper.volunteer.path) else { throw AppError.forbidden }
        return helper
    }

    /// Sets a helper's availability. Becoming unavailable re-pairs everyone they covered
    /// (backups move up first); becoming available again moves nobody.
    func setAvailability(_ availability: HelperAvailability, of helperID: VolunteerID, identity: UserIdentity, actor: String, traceID: String?) async throws -> (CareHelper, PairingSummary) {
        let now = services.now()
        return try await services.store.write { db in
            guard let helper = try await CarePairingRecords.helper(id: helperID, on: db),
                  identity.grants.allows(.viewDirectory, at: helper.volunteer.path) else { throw AppError.notFound }
            guard identity.grants.allows(.manageCare, at: helper.volunteer.path) else { throw AppError.forbidden }
            guard let before = try await CarePairingRecords.setAvailability(availability, of: helperID, on: db) else { throw AppError.notFound }
            if availability == .left {
                // A pin to someone who left can never hold again.
                try await CarePairingRecords.dropPins(to: helperID, at: now, on: db)
            }
            try await AuditRecords.append([AuditEntry(at: now, actor: actor, action: "care.helper.availability", entity: "volunteer", entityID: "\(helperID)", path: helper.volunteer.path.rawValue, before: before.rawValue, after: availability.rawValue, traceID: traceID)], on: db)
            var summary = PairingSummary.empty
            if availability != .available {
                let ancestors = try await DirectoryRecords.ancestors(of: helper.volunteer.path, on: db)
                if let compound = ancestors.first(where: { $0.level == .compound }) {
                    let pairing = try await CompoundPairing.load(compound, on: db)
                    let unavailable = Set(pairing.helpers.filter { $0.availability != .available }.map { "\($0.volunteer.id)" })
                    // Pins are what the register says, unavailable helpers included: repair drops those itself.
                    var instance = pairing.instance(including: true)
                    instance.people = zip(instance.people, pairing.people).map { person, stored in
                        var person = person
                        person.pinned = stored.entry.pinnedHelperID.map { "\($0)" }
                        return person
                    }
                    if instance.problem() == nil {
                        let outcome = PairingRepair.repair(instance, previous: pairing.stored, unavailable: unavailable)
                        summary = try await store(outcome.result, for: pairing, action: "care.pairing.repair", actor: actor, traceID: traceID, at: now, on: db)
                    }
                }
            }
            var after = helper
            after.availability = availability
            return (after, summary)
        }
    }

    /// Writes a compound's new pairs, its audit entry and a message to each helper who gained
    /// or lost people.
    private func store(_ result: PairingResult, for pairing: CompoundPairing, action: String, actor: String, traceID: String?, at now: Date, on db: any SQLDatabase) async throws -> PairingSummary {
        var changes: [(entryID: CareEntryID, primary: VolunteerID?, backup: VolunteerID?)] = []
        var gained: [VolunteerID: [PairingPerson]] = [:]
        var lost: [VolunteerID: [PairingPerson]] = [:]
        for person in pairing.people {
            let key = "\(person.entry.id)"
            let primary = result.primary[key].flatMap { VolunteerID($0) }
            let backup = result.backup[key].flatMap { VolunteerID($0) }
            let (oldPrimary, oldBackup) = (person.entry.primaryHelperID, person.entry.backupHelperID)
            guard primary != oldPrimary || backup != oldBackup else { continue }
            changes.append((person.entry.id, primary, backup))
            let before = Set([oldPrimary, oldBackup].compactMap { $0 })
            let after = Set([primary, backup].compactMap { $0 })
            for helper in after.subtracting(before) { gained[helper, default: []].append(person) }
            for helper in before.subtracting(after) { lost[helper, default: []].append(person) }
            // A helper who stays but swaps roles (backup to primary) is told too.
            for helper in after.intersection(before) where (helper == primary) != (helper == oldPrimary) { gained[helper, default: []].append(person) }
        }
        try await CarePairingRecords.storePairs(changes, at: now, on: db)
        let touched = Set(gained.keys).union(lost.keys)
        let helpers = try await CarePairingRecords.helpers(ids: touched.sorted(), on: db)
        let targets = try await NotifyRecords.targets(at: pairing.compound.path.ids, on: db)
        if !targets.isEmpty {
            for helper in helpers {
                let message = CareMessages.pairingChanged(helper: helper.volunteer, gained: gained[helper.volunteer.id]?.count ?? 0, lost: lost[helper.volunteer.id]?.count ?? 0, compound: pairing.compound)
                try await NotifyRecords.enqueue(message, to: targets, at: now, on: db)
            }
        }
        let paired = result.primary.count
        let summary = PairingSummary(
            compounds: [pairing.compound.id], people: pairing.people.count, paired: paired, unpaired: pairing.people.count - paired,
            primaryCost: result.cost.primary, backupCost: result.cost.backup, moved: changes.count, helpersNotified: targets.isEmpty ? 0 : helpers.count
        )
        try await AuditRecords.append([AuditEntry(
            at: now, actor: actor, action: action, entity: "place", entityID: "\(pairing.compound.id)", path: pairing.compound.path.rawValue,
            after: RegisterRecords.json(summary), traceID: traceID
        )], on: db)
        return summary
    }
}
