import Foundation
import LinliCore
import LinliStore
import SQLKit

/// The demo compound's care at work: buildings placed on the plan, helpers' capacities (one
/// quarantined), a pairing run, care plans, check-ins ticked off and one overdue. The first
/// building leader is a volunteer, so their login shows "my people today" with people in it.
enum DemoCarePairing {
    static func write(generator: DemoGenerator, now: Date, on db: any SQLDatabase) async throws {
        guard let lead = generator.accounts.first(where: { $0.role == .compoundLead }),
              let compound = try await DirectoryRecords.place(id: lead.placeID, on: db) else { return }
        let helperPhone = generator.accounts.first { $0.role == .buildingLeader }?.phone

        // Buildings on the compound's plan, in rows of four 40 m apart.
        let buildings = try await CarePairingRecords.buildings(under: compound, on: db)
        for (index, building) in buildings.enumerated() {
            try await CarePairingRecords.setPosition(building: building.id, x: (index % 4) * 40, y: (index / 4) * 40, on: db)
        }

        // Whoever the register part put on the register; a few of the oldest residents otherwise.
        if try await CarePairingRecords.people(under: compound.path, on: db).isEmpty {
            let shapes: [([CareCategory], [String], CareRisk)] = [
                ([.elderlyAlone], [], .high), ([.elderlyAlone, .dialysis], ["driver"], .critical), ([.bedBound], ["medical"], .critical),
                ([.temporarilyAlone], [], .medium), ([.dementia, .elderlyAlone], [], .high), ([.disabled], ["sign_language"], .medium),
                ([.noSmartphone, .elderlyAlone], ["dialect"], .medium), ([.elderlyAlone], [], .low),
            ]
            let residents = try await CarePairingRecords.oldestUnregistered(under: compound.path, limit: shapes.count, on: db)
            for (resident, shape) in zip(residents, shapes) {
                _ = try await CareRecords.insert(CareEntry(
                    id: 0, residentID: resident.id, householdID: resident.householdID, categories: shape.0, needs: shape.1, risk: shape.2, source: .survey,
                    path: resident.path, districtID: resident.districtID, createdAt: now, updatedAt: now
                ), on: db)
            }
        }

        // Capacities as helpers gave them, one helper in quarantine, and the demo helper's first
        // person pinned to them so their page is never empty.
        let helpers = try await CarePairingRecords.helpers(under: compound.path, on: db)
        let demoHelper = helpers.first { $0.volunteer.phone == helperPhone }
        for (index, helper) in helpers.enumerated() where helper.volunteer.id != demoHelper?.volunteer.id {
            if index % 7 == 3 { try await CarePairingRecords.setCapacity(2, of: helper.volunteer.id, on: db) }
            if index % 11 == 5 { try await CarePairingRecords.setCapacity(5, of: helper.volunteer.id, on: db) }
        }
        if let away = helpers.first(where: { $0.volunteer.id != demoHelper?.volunteer.id }) {
            _ = try await CarePairingRecords.setAvailability(.quarantined, of: away.volunteer.id, on: db)
        }
        var people = try await CarePairingRecords.people(under: compound.path, on: db)
        if let demoHelper, var first = people.first(where: { $0.entry.needs.isEmpty })?.entry {
            first.pinnedHelperID = demoHelper.volunteer.id
            first.updatedAt = now
            _ = try await CareRecords.update(first, on: db)
        }

        // The pairing run, as the dashboard's button does it.
        let pairing = try await CompoundPairing.load(compound, on: db)
        let result = PairingSolver.solve(pairing.instance())
        try await CarePairingRecords.storePairs(pairing.people.map { person in
            let key = "\(person.entry.id)"
            return (person.entry.id, result.primary[key].flatMap { VolunteerID($0) }, result.backup[key].flatMap { VolunteerID($0) })
        }, at: now, on: db)
        try await AuditRecords.append([AuditEntry(at: now, actor: "demo", action: "care.pairing.run", entity: "place", entityID: "\(compound.id)", path: compound.path.rawValue)], on: db)

        // Plans: a daily call for everyone paired, meals, a dialysis ride, a refill; yesterday's
        // check-ins done, and one this morning that nobody ticked off.
        people = try await CarePairingRecords.people(under: compound.path, on: db)
        let today = CareSchedule.localDay(now)
        for (index, person) in people.prefix(8).enumerated() {
            var items = [CarePlanItem(id: 0, entryID: person.entry.id, kind: .call, weekdays: [], dueMinute: 9 * 60, path: person.entry.path)]
            if index % 2 == 0 { items.append(CarePlanItem(id: 0, entryID: person.entry.id, kind: .meal, weekdays: [], dueMinute: 11 * 60 + 30, path: person.entry.path)) }
            if person.entry.categories.contains(.dialysis) { items.append(CarePlanItem(id: 0, entryID: person.entry.id, kind: .dialysisRide, weekdays: [1, 3, 5], dueMinute: 7 * 60, path: person.entry.path)) }
            if index == 0 {
                // A visit due an hour ago that nobody ticked off: the overdue check-in on the dashboard.
                let minute = Int(((now.timeIntervalSince1970 - 3600 + CareSchedule.utcOffset) / 60).rounded(.down)) % 1440
                items.append(CarePlanItem(id: 0, entryID: person.entry.id, kind: .other, label: "上门看看", weekdays: [], dueMinute: minute, path: person.entry.path))
            }
            if index == 2 { items.append(CarePlanItem(id: 0, entryID: person.entry.id, kind: .medicineRefill, label: "胰岛素", weekdays: [], dueMinute: 14 * 60, onDay: CareSchedule.dayText(today + 2), path: person.entry.path)) }
            for item in items {
                let stored = try await CarePlanRecords.insert(item, on: db)
                for due in CareSchedule.dueTimes(of: stored, from: CareSchedule.start(ofLocalDay: today - 1), to: now) {
                    guard let id = try await CarePlanRecords.addCheckIn(item: stored, dueAt: due, on: db) else { continue }
                    // Everything is done but the visit of an hour ago, whose primary and backup
                    // were alerted; the compound's leads are next, an hour from now.
                    if item.kind != .other || due < now.addingTimeInterval(-2 * 3600) {
                        _ = try await CarePlanRecords.markDone(id, by: "demo", note: nil, at: due.addingTimeInterval(20 * 60), on: db)
                        try await CarePlanRecords.setLastContact(entryID: person.entry.id, at: due.addingTimeInterval(20 * 60), on: db)
                    } else {
                        for level in 0..<2 { _ = try await CarePlanRecords.raise(id, from: level, on: db) }
                        if let next = CareCheckInEscalation.nextStep(dueAt: due, level: 2) {
                            let job = CareCheckIns.dueJob(id, level: 2, at: next.at)
                            try await JobRecords.enqueue(kind: job.kind, payload: job.payload, runAt: job.runAt, dedupeKey: job.dedupeKey, at: now, on: db)
                        }
                    }
                }
                _ = try await CareCheckIns.makeCheckIns(for: stored, from: now, to: now.addingTimeInterval(CareCheckIns.lookAhead), at: now, on: db)
            }
        }
    }
}
