import Foundation

/// The instants Linli stores and shows: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, the years
/// ISO 8601 writes with four digits. A `Date` is a Double and can hold far more, but converting
/// such a value to an integer traps and kills the server for every household it serves, so each
/// conversion to milliseconds, to text or to a count goes through this range first: a value out
/// of it (a corrupt row, a rule from an older version) is clamped or shown as invalid, never
/// trapped on.
extension Date {
    public static let earliestRepresentable = Date(timeIntervalSince1970: -62_135_596_800)
    public static let latestRepresentable = Date(timeIntervalSince1970: 253_402_300_799)

    /// False for dates outside the range, and for NaN.
    public var isRepresentable: Bool {
        let seconds = timeIntervalSince1970
        return seconds >= Self.earliestRepresentable.timeIntervalSince1970 && seconds <= Self.latestRepresentable.timeIntervalSince1970
    }

    /// The nearest representable date (NaN becomes the earliest).
    public var clampedToRepresentable: Date {
        if isRepresentable { return self }
        return timeIntervalSince1970 > 0 ? .latestRepresentable : .earliestRepresentable
    }

    /// Whole seconds since 1970, for a clamped date: always fits, never traps.
    public var representableSecondsSince1970: Int64 {
        Int64(clampedToRepresentable.timeIntervalSince1970.rounded(.down))
    }
}
