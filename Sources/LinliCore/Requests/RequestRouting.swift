import Foundation

/// Who a matching rule hands a request to: a person holding a role at a place above the
/// household (the nearest such place wins), or the duty team of the place at a level.
public enum RoutingTarget: Sendable, Hashable, Codable {
    case role(RoleKind)
    case place(PlaceLevel)
}

/// One routing rule: requests from households under `scope` (everywhere when nil) of `category`
/// (any when nil) go to `target`.
public struct RoutingRule: Sendable, Hashable, Codable {
    public var scope: PlacePath?
    public var category: RequestCategory?
    public var target: RoutingTarget

    public init(scope: PlacePath? = nil, category: RequestCategory? = nil, target: RoutingTarget) {
        self.scope = scope
        self.category = category
        self.target = target
    }

    public func matches(household: PlacePath, category: RequestCategory) -> Bool {
        (scope?.contains(household) ?? true) && (self.category.map { $0 == category } ?? true)
    }

    /// Stored as `{"category": "medicine", "scope": "1/2/3", "role": "medicine_runner"}` or with
    /// `"place_level": "committee"` instead of a role; category and scope may be absent.
    private enum CodingKeys: String, CodingKey {
        case category, scope, role, placeLevel = "place_level"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        category = try container.decodeIfPresent(RequestCategory.self, forKey: .category)
        scope = try container.decodeIfPresent(String.self, forKey: .scope).map(PlacePath.init(rawValue:))
        switch (try container.decodeIfPresent(RoleKind.self, forKey: .role), try container.decodeIfPresent(PlaceLevel.self, forKey: .placeLevel)) {
        case (let role?, nil): target = .role(role)
        case (nil, let level?): target = .place(level)
        default: throw DecodingError.dataCorruptedError(forKey: .role, in: container, debugDescription: "a routing rule names either a role or a place level")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(category, forKey: .category)
        try container.encodeIfPresent(scope?.rawValue, forKey: .scope)
        switch target {
        case .role(let role): try container.encode(role, forKey: .role)
        case .place(let level): try container.encode(level, forKey: .placeLevel)
        }
    }
}

/// A person the store found holding a role at one of the household's places.
public struct RoutingCandidate: Sendable, Hashable {
    public var userID: UserID
    public var role: RoleKind
    public var placeID: PlaceID
    /// Open requests the person already has: among equals, the least loaded gets the next one.
    public var openRequests: Int

    public init(userID: UserID, role: RoleKind, placeID: PlaceID, openRequests: Int = 0) {
        self.userID = userID
        self.role = role
        self.placeID = placeID
        self.openRequests = openRequests
    }
}

/// The owner routing chose: a person (and the place they answer for it at), or a place's team.
public struct RoutingDecision: Sendable, Hashable {
    public var ownerUserID: UserID?
    public var ownerPlaceID: PlaceID
    /// The rule that matched, for the request's history ("routed by rule 2").
    public var ruleIndex: Int

    public init(ownerUserID: UserID?, ownerPlaceID: PlaceID, ruleIndex: Int) {
        self.ownerUserID = ownerUserID
        self.ownerPlaceID = ownerPlaceID
        self.ruleIndex = ruleIndex
    }
}

/// Ordered routing rules: the first rule that matches and finds an owner wins.
/// A district puts its own rules (e.g. medicine to the compound's medicine runners) in
/// front of the standard ones, which always come last so every request finds an owner.
public struct RequestRouting: Sendable, Hashable, Codable {
    public var rules: [RoutingRule]

    public init(rules: [RoutingRule]) { self.rules = rules }

    /// "Find a problem, find a member": the building leader of the household's
    /// building, else the compound's duty team.
    public static let standardRules: [RoutingRule] = [
        RoutingRule(target: .role(.buildingLeader)),
        RoutingRule(target: .place(.compound)),
    ]

    public static let standard = RequestRouting(rules: standardRules)

    /// A district's rules in front of the standard ones.
    public static func district(_ rules: [RoutingRule]) -> RequestRouting {
        RequestRouting(rules: rules + standardRules)
    }

    /// The roles the store should look up people for, so it loads candidates for these only.
    public func roles(for household: PlacePath, category: RequestCategory) -> Set<RoleKind> {
        Set(rules.compactMap { rule in
            guard rule.matches(household: household, category: category), case .role(let role) = rule.target else { return nil }
            return role
        })
    }

    /// Picks the owner. `places` are the places above the household; `candidates` the people
    /// holding a role at one of them. Returns nil only when no rule can find anyone, e.g. a
    /// household with no compound above it.
    public func route(household: PlacePath, places: [PlaceOnPath], category: RequestCategory, candidates: [RoutingCandidate]) -> RoutingDecision? {
        for (index, rule) in rules.enumerated() where rule.matches(household: household, category: category) {
            switch rule.target {
            case .role(let role):
                if let person = Self.nearest(role, places: places, candidates: candidates) {
                    return RoutingDecision(ownerUserID: person.userID, ownerPlaceID: person.placeID, ruleIndex: index)
                }
            case .place(let level):
                if let place = places.first(where: { $0.level == level }) {
                    return RoutingDecision(ownerUserID: nil, ownerPlaceID: place.id, ruleIndex: index)
                }
            }
        }
        return nil
    }

    /// The candidate with `role` at the place nearest the household, then the least loaded, then
    /// the lowest id so the choice is the same on every node.
    private static func nearest(_ role: RoleKind, places: [PlaceOnPath], candidates: [RoutingCandidate]) -> RoutingCandidate? {
        let depth = Dictionary(places.map { ($0.id, $0.level.depth) }, uniquingKeysWith: max)
        return candidates
            .filter { $0.role == role && depth[$0.placeID] != nil }
            .min { lhs, rhs in
                let (left, right) = (depth[lhs.placeID] ?? 0, depth[rhs.placeID] ?? 0)
                if left != right { return left > right }
                if lhs.openRequests != rhs.openRequests { return lhs.openRequests < rhs.openRequests }
                return lhs.userID < rhs.userID
            }
    }
}
