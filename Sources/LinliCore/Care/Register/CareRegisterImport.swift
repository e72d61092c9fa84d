import Foundation

/// A resident of the place being imported into, as the care register's file names them.
public struct CareRegisterResident: Sendable, Hashable {
    public var id: ResidentID
    public var householdID: PlaceID
    public var key: PersonKey
    public var path: PlacePath
    public var districtID: PlaceID?

    public init(id: ResidentID, householdID: PlaceID, key: PersonKey, path: PlacePath, districtID: PlaceID?) {
        self.id = id
        self.householdID = householdID
        self.key = key
        self.path = path
        self.districtID = districtID
    }
}

public enum CareRegisterChange: Sendable, Hashable {
    case create(CareRegisterResident, CareEntryDraft, lastContact: Date?, sourceRow: Int)
    case update(before: CareEntry, after: CareEntry, sourceRow: Int)
}

public struct CareRegisterImportPlan: Sendable, Hashable {
    public var changes: [CareRegisterChange]
    public var unchanged: Int
    public var issues: [CareRegisterIssue]
}

/// Plans an import of the care register: each row is matched to a resident of the place by
/// building, room and name. A row that matches nobody, or that would leave an entry breaking a
/// rule, is an issue with its row number; nothing is dropped without a word. Importing the same
/// file twice changes nothing the second time.
public enum CareRegisterImport {
    /// An empty cell keeps what the register holds (as in the household register): losing
    /// "透析" to a blank cell would hide someone who needs care. A new entry needs 类别; its risk
    /// is medium and its source a survey when the file does not say.
    public static func plan(rows: [CareRegisterRow], residents: [CareRegisterResident], entries: [ResidentID: CareEntry], now: Date) -> CareRegisterImportPlan {
        var byKey: [PersonKey: [CareRegisterResident]] = [:]
        for resident in residents.sorted(by: { $0.id < $1.id }) {
            byKey[withoutCompound(resident.key), default: []].append(resident)
        }
        var changes: [CareRegisterChange] = []
        var issues: [CareRegisterIssue] = []
        var unchanged = 0
        var matched: Set<ResidentID> = []
        for row in rows {
            let candidates = (byKey[withoutCompound(row.personKey)] ?? []).filter { row.compound == nil || $0.key.household.compound == nil || $0.key.household.compound == row.compound }
            guard let resident = candidates.first(where: { !matched.contains($0.id) }) else {
                let value = [row.compound, row.building, row.room, row.name].compactMap { $0 }.joined(separator: " ")
                issues.append(CareRegisterIssue(row: row.sourceRow, field: .name, reason: candidates.isEmpty ? .noSuchResident : .duplicatePerson, value: value))
                continue
            }
            matched.insert(resident.id)
            let existing = entries[resident.id]
            var draft = existing.map(CareEntryDraft.init) ?? CareEntryDraft(categories: [], risk: .medium, source: .survey)
            if let categories = row.categories { draft.categories = categories }
            if let kind = row.disabilityKind { draft.disabilityKind = kind }
            if let needs = row.needs { draft.needs = needs }
            if let risk = row.risk { draft.risk = risk }
            if let source = row.source { draft.source = source }
            if let consent = row.consentNote { draft.consentNote = consent }
            if let note = row.note { draft.note = note }
            let valid: CareEntryDraft
            do {
                valid = try draft.validated()
            } catch {
                issues.append(CareRegisterIssue(row: row.sourceRow, field: CareRegisterField(rawValue: error.field), reason: .invalidEntry, ruleKey: error.key, ruleArguments: error.arguments))
                continue
            }
            guard let existing else {
                changes.append(.create(resident, valid, lastContact: row.lastContact.map { min($0, now) }, sourceRow: row.sourceRow))
                continue
            }
            var after = valid.applied(to: existing)
            // A file says when to the minute; the same minute is the contact already known.
            if let contact = row.lastContact, existing.lastContactAt.map(CareRegisterFile.contactText) != CareRegisterFile.contactText(contact) {
                after.lastContactAt = min(contact, now)
            }
            if after == existing {
                unchanged += 1
            } else {
                changes.append(.update(before: existing, after: after, sourceRow: row.sourceRow))
            }
        }
        return CareRegisterImportPlan(changes: changes, unchanged: unchanged, issues: issues)
    }

    private static func withoutCompound(_ key: PersonKey) -> PersonKey {
        PersonKey(household: HouseholdKey(compound: nil, building: key.household.building, room: key.household.room), name: key.name)
    }
}
