import Foundation

/// A district's own deadlines and routing rules (districts differ in how fast they can answer). A
/// district that set none uses the standard policy. The district's rules come before the
/// standard ones, which always follow, so every request still finds an owner.
public struct DistrictRequestPolicy: Sendable, Hashable {
    public var deadlines: DeadlinePolicy
    public var rules: [RoutingRule]

    public init(deadlines: DeadlinePolicy = .standard, rules: [RoutingRule] = []) {
        self.deadlines = deadlines
        self.rules = rules
    }

    public static let standard = DistrictRequestPolicy()

    public var routing: RequestRouting { .district(rules) }

    /// At most this many rules: a district's exceptions, not a second register.
    public static let maximumRules = 50

    /// Checks the rules against the district they belong to: each scope must lie in it, a place
    /// target must be a level above a household, and there is a limit to how many there are.
    public func validate(district: PlacePath) throws(RoutingRuleError) {
        if rules.count > Self.maximumRules { throw RoutingRuleError(code: .tooMany, index: Self.maximumRules) }
        for (index, rule) in rules.enumerated() {
            if let scope = rule.scope, !district.contains(scope) { throw RoutingRuleError(code: .scopeOutsideDistrict, index: index) }
            if case .place(let level) = rule.target, level == .household || level < .district {
                throw RoutingRuleError(code: .targetLevel, index: index)
            }
        }
    }
}

/// Why a district's routing rule was refused; `index` is the rule's position in the list.
public struct RoutingRuleError: Error, Sendable, Hashable {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case tooMany = "too_many"
        case scopeOutsideDistrict = "scope_outside_district"
        case targetLevel = "target_level"
    }

    public var code: Code
    public var index: Int

    public init(code: Code, index: Int) {
        self.code = code
        self.index = index
    }

    public var catalogueKey: String { "requests.routing.\(code.rawValue)" }
    public var field: String { "routing_rules[\(index)]" }
}
