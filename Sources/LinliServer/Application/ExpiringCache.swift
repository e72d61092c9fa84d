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

    private let lifetime: TimeInterval
    private let capacity: Int
    private let entries = Mutex<[Key: Entry]>([:])

    /// A lifetime of zero or less turns the cache off.
    init(lifetime: TimeInterval, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func value(for key: Key, now: Date) -> Value? {
        guard lifetime > 0 else { return nil }
        return entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.expires > now else {
                entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    /// Keeps `value` until `now + lifetime`, or until `notAfter` if that comes sooner.
    func store(_ value: Value, for key: Key, now: Date, notAfter: Date? = nil) {
        guard lifetime > 0 else { return }
        let expires = min(now.addingTimeInterval(lifetime), notAfter ?? .distantFuture)
        entries.withLock { entries in
            if entries.count >= capacity {
                // Rather than track use, start afresh: the cache refills in one lifetime.
                entries.removeAll(keepingCapacity: true)
            }
            entries[key] = Entry(value: value, expires: expires)
        }
    }

    func removeAll(where shouldRemove: (Value) -> Bool) {
        entries.withLock { entries in
            entries = entries.filter { !shouldRemove($0.value.value) }
        }
    }

    func removeAll() {
        entries.withLock { $0.removeAll() }
    }
}
