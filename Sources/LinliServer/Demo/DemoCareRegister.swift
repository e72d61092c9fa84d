import Foundation
import LinliCore
import LinliStore
import SQLKit

/// The demo compound's care register: forty people across every category (several alone only
/// because their family was taken to quarantine), some needing a helper with a skill, some not
/// reached for days, so the register's lists, filters and pairing have something to show.
enum DemoCareRegister {
    static let size = 40

    /// (categories, disability kind, needs, risk, source), cycled over the people chosen.
    static let profiles: [([CareCategory], String?, [String], CareRisk, CareSource)] = [
        ([.elderlyAlone], nil, [], .medium, .survey),
        ([.temporarilyAlone, .elderlyAlone], nil, ["dialect"], .high, .neighbour),
        ([.dialysis, .elderlyAlone], nil, ["driver"], .critical, .hospital),
        ([.bedBound], nil, ["medical"], .high, .survey),
        ([.dementia, .temporarilyAlone], nil, ["dialect"], .high, .neighbour),
        ([.disabled], "听力", ["sign_language"], .medium, .self),
        ([.childWithoutAdult], nil, [], .high, .neighbour),
        ([.pregnant], nil, ["driver"], .medium, .self),
        ([.chemotherapy], nil, ["driver", "medical"], .critical, .hospital),
        ([.otherCriticalTreatment], nil, ["medical"], .critical, .hospital),
        ([.noSmartphone, .elderlyAlone], nil, [], .low, .survey),
        ([.temporarilyAlone], nil, [], .medium, .survey),
        ([.disabled, .noSmartphone], "视力", ["dialect"], .medium, .survey),
        ([.temporarilyAlone, .noSmartphone], nil, ["dialect"], .medium, .neighbour),
    ]

    /// Deterministic: the same demo data gives the same register.
    static func write(generator: DemoGenerator, now: Date, on db: any SQLDatabase) async throws {
        guard let compoundID = generator.accounts.first(where: { $0.role == .compoundLead })?.placeID,
              let compound = try await DirectoryRecords.place(id: compoundID, on: db) else { return }
        let residents = try await CareRegisterRecords.residents(under: compound, on: db).sorted { $0.id < $1.id }
        guard !residents.isEmpty else { return }
        // Spread over the compound rather than the first building's first floors.
        let step = max(1, residents.count / size)
        for (index, resident) in stride(from: 0, to: residents.count, by: step).prefix(size).map({ residents[$0] }).enumerated() {
            let (categories, kind, needs, risk, source) = profiles[index % profiles.count]
            // Every fifth never reached yet, others between a few hours and six days ago.
            let lastContact: Date? = index % 5 == 4 ? nil : now.addingTimeInterval(-Double((index * 7) % 150 + 2) * 3600)
            let entry = CareEntry(
                id: 0, residentID: resident.id, householdID: resident.householdID, categories: categories, disabilityKind: kind, needs: needs, risk: risk, source: source,
                consentNote: index % 3 == 0 ? "本人同意登记" : "家属同意登记", note: index % 4 == 0 ? "每天上午电话联系" : nil, lastContactAt: lastContact,
                path: resident.path, districtID: resident.districtID, createdAt: now.addingTimeInterval(-7 * 86_400), updatedAt: now.addingTimeInterval(-7 * 86_400)
            )
            _ = try await CareRecords.insert(entry, on: db)
        }
    }
}
