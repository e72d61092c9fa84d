import Foundation
import HTTPTypes
import LinliStore

/// Limits on guessing passwords and household codes that slow the guesser, never the owner.
/// Household numbers are small and sequential and phones are easy to find: if wrong guesses
/// locked a target, anyone could keep a neighbour out with a few requests every quarter hour.
/// So the counts that refuse are those of the guesser's own address:
/// - an address that has tried too many targets waits before anything it sends is checked;
/// - an address that has tried one target too often waits, longer after each try, before its
///   next try at that target is checked;
/// - a target tried from many addresses is under attack: each address then gets only one try at
///   it before waiting;
/// - an address that has not failed at a target is always checked, so its owner gets in.
///
/// The counters live in the database (`GuessRecords`): every node counts against the same
/// numbers, and a restart forgets none.
public struct AbuseLimits: Sendable {
    /// Attempts from one address at any target.
    public var perAddress: GuessPace
    /// Attempts from one address at one target.
    public var perPair: GuessPace
    /// Attempts from one address at one target under attack.
    public var perPairUnderAttack: GuessPace
    /// A target with this many attempts from all addresses (not yet forgiven) is under attack.
    public var underAttack: Int

    public init(perAddress: GuessPace = GuessPace(free: 20), perPair: GuessPace = GuessPace(free: 5), perPairUnderAttack: GuessPace = GuessPace(free: 1), underAttack: Int = 20) {
        self.perAddress = perAddress
        self.perPair = perPair
        self.perPairUnderAttack = perPairUnderAttack
        self.underAttack = underAttack
    }

    /// What is guessed at: a phone's password, or a household's code.
    enum Secret: String { case password, code }

    /// The counters of one attempt, to take back if it proves right.
    struct Attempt: Sendable {
        let address: String
        let target: String
        let pair: String
    }

    private struct Refused: Error { let until: Date }

    /// Counts an attempt at `secret` of `target` from `address`, or throws 429 with Retry-After
    /// (counting nothing) when the address must wait. All three counters change in one
    /// transaction, so a refusal takes back what was counted before it.
    func attempt(_ secret: Secret, target: String, address: String, store: Store, now: Date) async throws -> Attempt {
        let key = ClientAddress.limitKey(address)
        let attempt = Attempt(address: "\(secret) address \(key)", target: "\(secret) target \(target)", pair: "\(secret) pair \(key) \(target)")
        let (perAddress, perPair, perPairUnderAttack, underAttack) = (self.perAddress, self.perPair, self.perPairUnderAttack, self.underAttack)
        do {
            try await store.write { db in
                if case .wait(let until) = try await GuessRecords.count(attempt.address, pace: perAddress, now: now, on: db) { throw Refused(until: until) }
                // The target's own count never refuses (that would lock its owner out); it only
                // tightens each address's pace at it.
                let targetAttempts = try await GuessRecords.tally(attempt.target, quiet: perPair.quiet, now: now, on: db)
                let pace = targetAttempts > underAttack ? perPairUnderAttack : perPair
                if case .wait(let until) = try await GuessRecords.count(attempt.pair, pace: pace, now: now, on: db) { throw Refused(until: until) }
            }
        } catch let refused as Refused {
            let seconds = max(1, Int(refused.until.timeIntervalSince(now).rounded(.up)))
            throw AppError(.tooManyRequests, "error.rate_limited", durations: ["wait": seconds], headers: [.retryAfter: "\(seconds)"])
        }
        return attempt
    }

    /// The attempt was right: it is no failure of its address or its target, and the address has
    /// shown it knows the secret, so its wrong tries at this target are forgotten.
    func succeeded(_ attempt: Attempt, store: Store) async throws {
        try await store.write { db in
            try await GuessRecords.uncount(attempt.address, on: db)
            try await GuessRecords.uncount(attempt.target, on: db)
            try await GuessRecords.clear(attempt.pair, on: db)
        }
    }
}
