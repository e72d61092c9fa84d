import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// A routing rule as the API shows it: the scope is a place id, the target a role or a level.
struct RoutingRuleView: Codable, Sendable {
    var category: RequestCategory?
    var scopePlaceID: PlaceID?
    var role: RoleKind?
    var placeLevel: PlaceLevel?
    enum CodingKeys: String, CodingKey { case category, scopePlaceID = "scope_place_id", role, placeLevel = "place_level" }

    init(_ rule: RoutingRule) {
        category = rule.category
        scopePlaceID = rule.scope?.ids.last
        switch rule.target {
        case .role(let role): self.role = role
        case .place(let level): placeLevel = level
        }
    }
}

struct RequestPolicyView: ResponseCodable {
    var districtID: PlaceID
    var deadlines: DeadlinePolicy
    /// The district's own rules; the standard ones (building leader, then the compound's duty
    /// team) always follow them.
    var routingRules: [RoutingRuleView]
    var updatedAt: Date?
    var updatedBy: String?
    enum CodingKeys: String, CodingKey { case districtID = "district_id", deadlines, routingRules = "routing_rules", updatedAt = "updated_at", updatedBy = "updated_by" }
}

/// `/api/v1/places/{id}/request-policy`: a district's deadlines and routing rules, which
/// each district sets for itself. Those whose places include the district (its staff, admins)
/// read them; district staff and admins change them.
struct RequestPolicyAPI {
    let services: AppServices

    struct PolicyBody: Decodable {
        var deadlines: DeadlinePolicy?
        var routingRules: [RoutingRuleView]?
        enum CodingKeys: String, CodingKey { case deadlines, routingRules = "routing_rules" }
    }

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        router.get("places/:id/request-policy") { _, context -> RequestPolicyView in
            let identity = try context.requireUser()
            let district = try await district(try context.parameters.id(), identity: identity)
            let stored = try await services.store.read { db in try await RequestPolicyRecords.policy(districtID: district.id, on: db) }
            return Self.view(district: district.id, stored: stored)
        }
        router.put("places/:id/request-policy") { request, context -> RequestPolicyView in
            let identity = try context.requireUser()
            let district = try await district(try context.parameters.id(), identity: identity)
            guard identity.grants.allows(.configureRequests, at: district.path) else { throw AppError.forbidden }
            let body: PolicyBody
            do {
                body = try await request.decodeJSON(as: PolicyBody.self, context: context)
            } catch let error as DeadlinePolicyError {
                // A window that is not positive, longer than a week, or accept after done, is refused as it is decoded.
                throw AppError(.unprocessableContent, error.catalogueKey, field: "deadlines.\(error.field)", arguments: error.arguments)
            }
            let rules = try await rules(body.routingRules ?? [], district: district)
            let policy = DistrictRequestPolicy(deadlines: body.deadlines ?? .standard, rules: rules)
            do {
                try policy.validate(district: district.path)
            } catch let error as RoutingRuleError {
                throw AppError(.unprocessableContent, error.catalogueKey, field: error.field, arguments: ["field": error.field])
            }
            let now = services.now()
            let stored = StoredRequestPolicy(districtID: district.id, policy: policy, updatedAt: now, updatedBy: "user:\(identity.user.id)")
            let view = Self.view(district: district.id, stored: stored)
            try await services.store.write { db in
                let before = try await RequestPolicyRecords.policy(districtID: district.id, on: db)
                try await RequestPolicyRecords.save(stored, on: db)
                try await AuditRecords.append([AuditEntry(
                    at: now, actor: "user:\(identity.user.id)", action: "request_policy.update", entity: "place", entityID: "\(district.id)", path: district.path.rawValue,
                    before: before.flatMap { RegisterRecords.json(Self.view(district: district.id, stored: $0)) }, after: RegisterRecords.json(view), traceID: context.traceID
                )], on: db)
            }
            services.requestPolicies.removeAll()
            return view
        }
    }

    /// The district the caller named: 404 outside their places, 422 for a place that is not a district.
    private func district(_ id: PlaceID, identity: UserIdentity) async throws -> Place {
        let place = try await services.store.read { db in try await DirectoryRecords.place(id: id, on: db) }
        guard let place, identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
        guard place.level == .district else { throw AppError(.unprocessableContent, "requests.policy.not_district", field: "id") }
        return place
    }

    /// Turns the API's rules into the core's, finding each scope's place.
    private func rules(_ views: [RoutingRuleView], district: Place) async throws -> [RoutingRule] {
        guard views.count <= DistrictRequestPolicy.maximumRules else {
            throw AppError(.unprocessableContent, RoutingRuleError(code: .tooMany, index: DistrictRequestPolicy.maximumRules).catalogueKey, field: "routing_rules")
        }
        return try await services.store.read { db in
            var rules: [RoutingRule] = []
            for (index, view) in views.enumerated() {
                let field = "routing_rules[\(index)]"
                let target: RoutingTarget
                switch (view.role, view.placeLevel) {
                case (let role?, nil): target = .role(role)
                case (nil, let level?): target = .place(level)
                default: throw AppError.invalid(field)
                }
                var scope: PlacePath?
                if let scopeID = view.scopePlaceID {
                    // A place that does not exist answers like one outside the district, so the
                    // rule cannot be used to find out which ids exist elsewhere.
                    guard let place = try await DirectoryRecords.place(id: scopeID, on: db), district.path.contains(place.path) else {
                        let error = RoutingRuleError(code: .scopeOutsideDistrict, index: index)
                        throw AppError(.unprocessableContent, error.catalogueKey, field: error.field, arguments: ["field": error.field])
                    }
                    scope = place.path
                }
                rules.append(RoutingRule(scope: scope, category: view.category, target: target))
            }
            return rules
        }
    }

    static func view(district: PlaceID, stored: StoredRequestPolicy?) -> RequestPolicyView {
        let policy = stored?.policy ?? .standard
        return RequestPolicyView(districtID: district, deadlines: policy.deadlines, routingRules: policy.rules.map(RoutingRuleView.init), updatedAt: stored?.updatedAt, updatedBy: stored?.updatedBy)
    }
}
