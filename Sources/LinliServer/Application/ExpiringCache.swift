import Foundation
import Synchronization

/// A small in-memory cache whose entries expire after a fixed time. Used where a value read on
/// every request changes rarely and a few seconds of staleness is harmless, such as who a
/// session token belongs to. A change made on this node clears the entries it affects at once.
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var expires: Date
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// Counts removals: a value looked up before a removal must not be stored after it.
        var generation: UInt64 = 0
    }

    private let lifetime: TimeInterval
    private let capacity: Int
    private let state = Mutex(State())

    /// A lifetime of zero or less turns the cache off.
    init(lifetime: TimeInterval, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func value(for key: Key, now: Date) -> Value? {
        guard lifetime > 0 else { return nil }
        return state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            guard entry.expires > now else {
                state.entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    /// Taken before looking a value up, and handed to `store`: a removal in between (a logout
    /// while the session was being read) then keeps the stale value out.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// Keeps `value` until `now + lifetime`, or until `notAfter` if that comes sooner, unless
    /// something was removed since `generation` was taken.
    func store(_ value: Value, for key: Key, now: Date, notAfter: Date? = nil, lookedUpAt generation: UInt64) {
        guard lifetime > 0 else { return }
        let expires = min(now.addingTimeInterval(lifetime), notAfter ?? .distantFuture)
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity {
                // Rather than track use, start afresh: the cache refills in one lifetime.
                state.entries.removeAll(keepingCapacity: true)
            }
            state.entries[key] = Entry(value: value, expires: expires)
        }
    }

    func removeAll(where shouldRemove: (Value) -> Bool) {
        state.withLock { state in
            state.generation &+= 1
            state.entries = state.entries.filter { !shouldRemove($0.value.value) }
        }
    }

    func removeAll() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll()
        }
    }
}
