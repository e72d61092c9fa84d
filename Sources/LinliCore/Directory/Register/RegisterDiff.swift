/// A resident already in the directory, as a register row, for matching against an upload.
public struct ExistingResident: Sendable, Hashable {
    public var id: ResidentID
    public var row: RegisterRow

    public init(id: ResidentID, row: RegisterRow) {
        self.id = id
        self.row = row
    }
}

/// One step of an import, to be applied by the store in order (a household before its residents).
public enum RegisterChange: Sendable, Hashable {
    case createHousehold(compound: String?, building: String, room: String)
    case createResident(RegisterRow)
    case updateResident(id: ResidentID, before: RegisterRow, after: RegisterRow)
}

/// What importing a register would do, for the worker to confirm before anything is written.
public struct RegisterImportPlan: Sendable, Hashable {
    public var changes: [RegisterChange]
    /// Rows of the file that match a resident exactly.
    public var unchanged: Int
    /// Residents of the place the file does not mention. They are kept: a register that misses
    /// someone must not delete them (DOMAIN.md, story 5: "no household is missed").
    public var unmatchedExisting: Int

    public init(changes: [RegisterChange], unchanged: Int, unmatchedExisting: Int) {
        self.changes = changes
        self.unchanged = unchanged
        self.unmatchedExisting = unmatchedExisting
    }
}

/// Plans an idempotent import: uploading the same register twice changes nothing the second time,
/// so a worker can fix rows with issues and simply upload the whole file again.
public enum RegisterDiff {
    /// Residents are matched by household and name (a flat never registers two people of the same
    /// name); without a 小区 column, by building, room and name within the target place.
    ///
    /// Only fields the file has a column for are updated, and an empty cell never clears a value:
    /// the register is rarely as complete as the surveys behind a health note, and losing "dialysis
    /// twice a week" to a blank cell would hide someone who needs care. Clearing is done in the app.
    ///
    /// - Parameters:
    ///   - incoming: rows of one file, each person once, as `RegisterParser` returns them.
    ///   - presentFields: the fields the file has a column for.
    ///   - existingResidents: the residents now in the target place.
    ///   - existingHouseholds: the flats now in the target place, residents or not.
    public static func plan(
        incoming: [RegisterRow], presentFields: Set<RegisterField>,
        existingResidents: [ExistingResident], existingHouseholds: Set<HouseholdKey>
    ) -> RegisterImportPlan {
        let matchesCompound = presentFields.contains(.compound)
        func matchable(_ key: HouseholdKey) -> HouseholdKey {
            matchesCompound ? key : HouseholdKey(compound: nil, building: key.building, room: key.room)
        }
        func matchable(_ key: PersonKey) -> PersonKey {
            PersonKey(household: matchable(key.household), name: key.name)
        }

        var existingByPerson: [PersonKey: ExistingResident] = [:]
        for resident in existingResidents.sorted(by: { $0.id < $1.id }) where existingByPerson[matchable(resident.row.personKey)] == nil {
            existingByPerson[matchable(resident.row.personKey)] = resident
        }
        var knownHouseholds = Set(existingHouseholds.map(matchable))
        knownHouseholds.formUnion(existingResidents.map { matchable($0.row.householdKey) })
        let updatableFields = presentFields.subtracting([.compound, .building, .room, .name])

        var changes: [RegisterChange] = []
        var unchanged = 0
        var matchedIDs: Set<ResidentID> = []
        for row in incoming {
            let personKey = matchable(row.personKey)
            guard let existing = existingByPerson[personKey] else {
                if knownHouseholds.insert(personKey.household).inserted {
                    changes.append(.createHousehold(compound: row.compound, building: row.building, room: row.room))
                }
                changes.append(.createResident(row))
                continue
            }
            guard matchedIDs.insert(existing.id).inserted else { continue }
            var after = existing.row
            for field in RegisterField.allCases where updatableFields.contains(field) && !row.isEmpty(field) {
                after.take(field, from: row)
            }
            if RegisterField.allCases.allSatisfy({ after.hasSameValue(as: existing.row, for: $0) }) {
                unchanged += 1
            } else {
                after.sourceRow = row.sourceRow
                changes.append(.updateResident(id: existing.id, before: existing.row, after: after))
            }
        }
        let unmatched = existingResidents.count { !matchedIDs.contains($0.id) }
        return RegisterImportPlan(changes: changes, unchanged: unchanged, unmatchedExisting: unmatched)
    }
}
