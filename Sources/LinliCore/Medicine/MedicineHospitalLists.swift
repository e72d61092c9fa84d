import Foundation

/// One item of a night's batches, as the per-hospital lists total it.
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

/// The night's consolidated lists of many batches at once (the cut-off forms a district's
/// batches together): each batch's items through `MedicineRules.hospitalLists`.
public enum MedicineHospitalLists {
    public static func build(_ items: [MedicineListItem]) -> [MedicineBatchID: [HospitalList]] {
        Dictionary(grouping: items, by: \.batchID).mapValues { batch in
            MedicineRules.hospitalLists(batch.map {
                HospitalListInput(householdID: $0.householdID.rawValue, source: $0.source, hospital: $0.hospital, window: $0.window, drug: $0.drug, specification: $0.specification, quantity: $0.quantity)
            })
        }
    }
}
