import Foundation

/// One order of a group buy as the fair shares see it.
public struct FairShareOrder: Sendable, Hashable, Codable {
    public var id: String
    public var quantity: Int
    public var orderedAt: Date

    public init(id: String, quantity: Int, orderedAt: Date) {
        self.id = id
        self.quantity = quantity
        self.orderedAt = orderedAt
    }

    enum CodingKeys: String, CodingKey { case id, quantity, orderedAt = "ordered_at" }
}

/// What is wrong with a set of orders or an arrival, before anything is shared out.
public enum FairShareProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case arrivedOutOfRange(Int)
    case quantityOutOfRange(id: String, quantity: Int)
    case emptyID
    case idTooLong(String)
    case duplicateID(String)
    case tooManyOrders(Int)

    public var description: String {
        switch self {
        case .arrivedOutOfRange(let arrived): "arrived must be between 0 and \(FairShares.maximumUnits), not \(arrived)"
        case .quantityOutOfRange(let id, let quantity): "order \(id): quantity must be between 0 and \(FairShares.maximumQuantity), not \(quantity)"
        case .emptyID: "an order has an empty id"
        case .idTooLong(let id): "order id \(id.prefix(40))... is longer than \(FairShares.maximumIDLength) characters"
        case .duplicateID(let id): "order id \(id) appears twice"
        case .tooManyOrders(let count): "\(count) orders; at most \(FairShares.maximumOrders)"
        }
    }
}

/// Fair shares when fewer goods arrive than were ordered: the largest-remainder method. Order i
/// of q_i units gets ⌊A·q_i/Q⌋ of the A units that arrived (Q ordered in all); the units left over
/// go one each to the largest remainders, ties to the earlier order, then to the id that sorts
/// first. Not first come, first served: a neighbour who ordered a minute later is not left with
/// nothing. When enough arrives every order is filled.
public enum FairShares {
    /// Bounds that keep A·q_i far inside 64 bits (10^9 · 10^6 = 10^15).
    public static let maximumUnits = 1_000_000_000
    public static let maximumQuantity = 1_000_000
    public static let maximumOrders = 1_000_000
    public static let maximumIDLength = 200

    /// The first problem with the input, or nil when it can be shared out.
    public static func problem(arrived: Int, orders: [FairShareOrder]) -> FairShareProblem? {
        guard (0...maximumUnits).contains(arrived) else { return .arrivedOutOfRange(arrived) }
        guard orders.count <= maximumOrders else { return .tooManyOrders(orders.count) }
        var seen = Set<String>()
        for order in orders {
            guard !order.id.isEmpty else { return .emptyID }
            guard order.id.count <= maximumIDLength else { return .idTooLong(order.id) }
            guard (0...maximumQuantity).contains(order.quantity) else { return .quantityOutOfRange(id: order.id, quantity: order.quantity) }
            guard seen.insert(order.id).inserted else { return .duplicateID(order.id) }
        }
        return nil
    }

    /// Each order's share, in the orders' order. Throws the input's first problem.
    public static func allocate(arrived: Int, orders: [FairShareOrder]) throws(FairShareProblem) -> [(id: String, units: Int)] {
        if let problem = problem(arrived: arrived, orders: orders) { throw problem }
        let ordered = orders.reduce(0) { $0 + $1.quantity }
        guard arrived < ordered else { return orders.map { ($0.id, $0.quantity) } }
        // Every product is below 10^15 and every sum below 10^12 by the bounds above.
        var shares = orders.map { arrived * $0.quantity / ordered }
        let remainders = orders.map { arrived * $0.quantity % ordered }
        let leftover = arrived - shares.reduce(0, +)
        let byClaim = orders.indices.sorted { left, right in
            if remainders[left] != remainders[right] { return remainders[left] > remainders[right] }
            if orders[left].orderedAt != orders[right].orderedAt { return orders[left].orderedAt < orders[right].orderedAt }
            return orders[left].id < orders[right].id
        }
        for index in byClaim.prefix(leftover) { shares[index] += 1 }
        return zip(orders, shares).map { ($0.id, $1) }
    }
}
