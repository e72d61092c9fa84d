import Foundation
import LinliCore

/// Every time column holds milliseconds since 1970 (UTC) as a 64-bit integer, the same on both
/// engines. Dates outside what Linli can show are clamped on the way in (see
/// `Date.isRepresentable`), so no value that reaches a row can trap a conversion.
extension Date {
    public var millisecondsSince1970: Int64 {
        Int64((clampedToRepresentable.timeIntervalSince1970 * 1000).rounded())
    }

    /// Any stored integer reads back as a date; one outside the representable range stays out of
    /// it, so pages can show it as invalid rather than as a plausible time.
    public init(millisecondsSince1970: Int64) { self.init(timeIntervalSince1970: Double(millisecondsSince1970) / 1000) }
}
