import Foundation

/// One item of a batch as the per-hospital lists total it.
public struct MedicineListItem: Sendable, Hashable {
    public var batchID: MedicineBatchID
    public var householdID: PlaceID
    public var source: MedicineSource
    public var hospital: String
    public var window: String
    public var drug: String
    public var specification: String
    public var quantity: Int

    public init(batchID: MedicineBatchID, householdID: PlaceID, source: MedicineSource, hospital: String, window: String, drug: String, specification: String, quantity: Int) {
        self.batchID = batchID
        self.householdID = householdID
        self.source = source
        self.hospital = hospital
        self.window = window
        self.drug = drug
        self.specification = specification
        self.quantity = quantity
    }
}

/// What a runner asks for at one hospital's window: each drug and specification once, with the
/// total quantity and how many households it is for.
public struct HospitalList: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public var drug: String
        public var specification: String
        public var quantity: Int
        public var households: Int

        public init(drug: String, specification: String, quantity: Int, households: Int) {
            self.drug = drug
            self.specification = specification
            self.quantity = quantity
            self.households = households
        }
    }

    public var source: MedicineSource
    public var hospital: String
    public var window: String
    public var lines: [Line]

    public init(source: MedicineSource, hospital: String, window: String, lines: [Line]) {
        self.source = source
        self.hospital = hospital
        self.window = window
        self.lines = lines
    }
}

/// The night's consolidated lists: a batch's items grouped by where they are got (source,
/// hospital, window), then by drug and specification. Orders are deterministic (by hospital,
/// window, drug, specification) so a printed list and its export always agree.
public enum MedicineHospitalLists {
    private struct Place: Hashable {
        var batch: MedicineBatchID
        var source: MedicineSource
        var hospital: String
        var window: String
    }

    private struct Drug: Hashable {
        var drug: String
        var specification: String
    }

    private struct Totals {
        var quantity = 0
        var households: Set<PlaceID> = []

    /// Quantities are bounded where they enter (1–999 an item), so the sum of a night cannot
    /// overflow; the addition still saturates rather than trap on a corrupt row.
    mutating func add(_ item: MedicineListItem) {
        let (sum, overflow) = quantity.addingReportingOverflow(item.quantity)
        quantity = overflow ? Int.max : sum
        households.insert(item.householdID)
    }
    }

    public static func build(_ items: [MedicineListItem]) -> [MedicineBatchID: [HospitalList]] {
        var grouped: [Place: [Drug: Totals]] = [:]
        for item in items {
            let place = Place(batch: item.batchID, source: item.source, hospital: item.hospital, window: item.window)
            grouped[place, default: [:]][Drug(drug: item.drug, specification: item.specification), default: Totals()].add(item)
        }
        var lists: [MedicineBatchID: [HospitalList]] = [:]
        for (place, drugs) in grouped {
            let lines = drugs.map { drug, totals in HospitalList.Line(drug: drug.drug, specification: drug.specification, quantity: totals.quantity, households: totals.households.count) }
                .sorted { ($0.drug, $0.specification) < ($1.drug, $1.specification) }
            lists[place.batch, default: []].append(HospitalList(source: place.source, hospital: place.hospital, window: place.window, lines: lines))
        }
        for batch in lists.keys {
            lists[batch]?.sort { ($0.hospital, $0.window, $0.source.rawValue) < ($1.hospital, $1.window, $1.source.rawValue) }
        }
        return lists
    }
}
