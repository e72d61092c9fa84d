import Foundation

/// Which custody step may follow which. A card is received once, at registration; it may pass
/// between runners and to the hospital and back any number of times; returning it ends its
/// custody, so nothing follows a return.
public enum CardCustodyRules {
    public enum Refusal: String, Sendable, Hashable {
        /// The card is already back with its household.
        case alreadyReturned = "already_returned"
        /// `received_from_household` is written only when the card is registered.
        case receivedTwice = "received_twice"
    }

    public static func refusal(from current: CustodyEvent, to next: CustodyEvent) -> Refusal? {
        if current == .returnedToHousehold { return .alreadyReturned }
        if next == .receivedFromHousehold { return .receivedTwice }
        return nil
    }

    /// Who holds the card after `event`: the named runner, the same holder at the hospital, nobody once returned.
    public static func holder(after event: CustodyEvent, current: UserID?, named: UserID?) -> UserID? {
        switch event {
        case .receivedFromHousehold, .withRunner: named ?? current
        case .atHospital: current
        case .returnedToHousehold: nil
        }
    }
}
