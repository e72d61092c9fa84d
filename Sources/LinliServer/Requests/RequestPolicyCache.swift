import Foundation
import LinliCore
import LinliStore
import SQLKit

extension ExpiringCache where Key == PlaceID, Value == DistrictRequestPolicy {
    /// The deadlines and routing rules of a district: its own, or the standard ones. Kept for a
    /// few seconds (`AppServices.requestPolicies`), as every filing needs them.
    func policy(district: PlaceID?, now: Date, on db: any SQLDatabase) async throws -> DistrictRequestPolicy {
        guard let district else { return .standard }
        if let cached = value(for: district, now: now) { return cached }
        let generation = self.generation
        let policy = try await RequestPolicyRecords.policy(districtID: district, on: db)?.policy ?? .standard
        store(policy, for: district, now: now, lookedUpAt: generation)
        return policy
    }
}
