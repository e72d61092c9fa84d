import Foundation

/// The rules of relief supplies: how much a household is entitled to, what is left, and when a
/// hand-out or write-off must be refused. Every number is bounded where it enters, so sums over a
/// district's batches stay far from overflow.
public enum SupplyRules {
    /// The most a batch may hold: a city district's relief is a few hundred thousand packages.
    public static let maximumQuantity = 10_000_000
    /// The most one household may get from one batch: a per-person rule over a large family.
    public static let maximumPerHousehold = 50
    /// The most one package line may say, "5 斤" or "30 个".
    public static let maximumLineQuantity = 100_000
    public static let maximumLines = 30
    public static let maximumTextLength = 200
    public static let maximumNoteLength = 500

    public enum Refusal: String, Sendable, Hashable, Error {
        /// The household already had its share of this batch.
        case alreadyHandedOut = "already_handed_out"
        /// The rule gives this household nothing (no one in the named care categories, nobody registered).
        case notEntitled = "not_entitled"
        /// Not enough left in the batch.
        case outOfStock = "out_of_stock"
        /// The shelf item was already taken.
        case alreadyTaken = "already_taken"
    }

    /// How many the household gets under `rule`, at most `maximumPerHousehold`.
    public static func entitlement(_ rule: AllocationRule, _ facts: HouseholdFacts) -> Int {
        switch rule {
        case .perHousehold: 1
        case .perPerson: min(max(0, facts.residents), maximumPerHousehold)
        case .careCategories(let categories): categories.isDisjoint(with: facts.careCategories) ? 0 : 1
        }
    }

    /// What is left: received less handed out and written off, never below zero (a store that
    /// holds more out than in was edited by hand; the ledger verifier names where).
    public static func stock(received: Int, handedOut: Int, writtenOff: Int) -> Int {
        let (out, overflow) = handedOut.addingReportingOverflow(writtenOff)
        guard !overflow else { return 0 }
        let (left, underflow) = received.subtractingReportingOverflow(out)
        return underflow ? 0 : max(0, left)
    }

    /// Why `quantity` may not go to a household now, or nil when it may.
    public static func handOutRefusal(entitlement: Int, alreadyReceived: Bool, stock: Int) -> Refusal? {
        if alreadyReceived { return .alreadyHandedOut }
        if entitlement <= 0 { return .notEntitled }
        if entitlement > stock { return .outOfStock }
        return nil
    }

    /// Why `quantity` may not be written off, or nil when it may.
    public static func writeOffRefusal(quantity: Int, stock: Int) -> Refusal? {
        quantity > stock ? .outOfStock : nil
    }

    /// The sum of what each household is entitled to, as the allocation entry records it.
    public static func allocated(_ rule: AllocationRule, _ households: [HouseholdFacts]) -> Int {
        households.reduce(0) { $0 + entitlement(rule, $1) }
    }

    /// A `yyyy-MM-dd` day that exists, or nil.
    public static func day(_ text: String) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (2000...2100).contains(year), (1...12).contains(month), day >= 1 else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1] ? text : nil
    }
}
