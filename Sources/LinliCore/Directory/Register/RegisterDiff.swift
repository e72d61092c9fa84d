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
    /// someone must not delete them, or they drop out of every list of who needs care.
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
    /// Residents are matched by flat and name (a flat never registers two people of the same
    /// name). A compound only tells flats apart when both sides name one: a file without a 小区
    /// column, or a blank 小区 cell, means "within the place being imported into".
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
        var residents = CompoundTolerantIndex<PersonKey, ExistingResident>()
        for resident in existingResidents.sorted(by: { $0.id < $1.id }) {
            residents.insert(resident, for: resident.row.personKey)
        }
        var households = CompoundTolerantIndex<HouseholdKey, HouseholdKey>()
        for key in existingHouseholds.union(existingResidents.map(\.row.householdKey)) {
            households.insert(key, for: key)
        }
        let updatableFields = presentFields.subtracting([.compound, .building, .room, .name])

        var changes: [RegisterChange] = []
        var unchanged = 0
        var matchedIDs: Set<ResidentID> = []
        for var row in incoming {
            if !presentFields.contains(.compound) { row.compound = nil }
            guard let existing = residents.first(for: row.personKey, where: { !matchedIDs.contains($0.id) }) else {
                if households.first(for: row.householdKey) == nil {
                    households.insert(row.householdKey, for: row.householdKey)
                    changes.append(.createHousehold(compound: row.compound, building: row.building, room: row.room))
                }
                changes.append(.createResident(row))
                continue
            }
            matchedIDs.insert(existing.id)
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

/// A key that names a compound or not (`HouseholdKey`, `PersonKey`).
protocol CompoundScopedKey: Hashable {
    var compound: String? { get }
    /// The same key without its compound.
    var withoutCompound: Self { get }
}

extension HouseholdKey: CompoundScopedKey {
    var withoutCompound: HouseholdKey { HouseholdKey(compound: nil, building: building, room: room) }
}

extension PersonKey: CompoundScopedKey {
    var compound: String? { household.compound }
    var withoutCompound: PersonKey { PersonKey(household: household.withoutCompound, name: name) }
}

/// Looks values up by key, treating a missing compound on either side as "any compound".
private struct CompoundTolerantIndex<Key: CompoundScopedKey, Value> {
    private var entries: [Key: [(compound: String?, value: Value)]] = [:]

    mutating func insert(_ value: Value, for key: Key) {
        entries[key.withoutCompound, default: []].append((key.compound, value))
    }

    /// The first value, in insertion order, whose compound agrees with the key's.
    func first(for key: Key, where isAvailable: (Value) -> Bool = { _ in true }) -> Value? {
        entries[key.withoutCompound]?.first { entry in
            (key.compound == nil || entry.compound == nil || entry.compound == key.compound) && isAvailable(entry.value)
        }?.value
    }
}
