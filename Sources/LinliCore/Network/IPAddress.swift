import Foundation

/// An IPv4 or IPv6 address, parsed strictly: webhook targets are checked against internal
/// networks with it, and the guess limits count clients and trusted proxies by it.
public enum IPAddress: Sendable, Hashable {
    case v4(UInt32)
    /// The 128 bits as two halves, most significant first.
    case v6(high: UInt64, low: UInt64)

    /// Four decimal numbers from 0 to 255, without leading zeros: the one spelling of IPv4 that
    /// every reader agrees on. C's `inet_aton` (and so `getaddrinfo`) also reads `2130706433`,
    /// `0177.0.0.1`, `0x7f.1` and `127.1` as 127.0.0.1; none of those is accepted here.
    public init?(dottedQuad text: some StringProtocol) {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                  part.count == 1 || part.first != UInt8(ascii: "0")
            else { return nil }
            let octet = part.reduce(UInt32(0)) { $0 * 10 + UInt32($1 - UInt8(ascii: "0")) }
            guard octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        self = .v4(value)
    }

    /// The IPv6 text form (RFC 4291 section 2.2): eight groups of one to four hex digits, one `::`
    /// for a run of zero groups, and a dotted quad allowed as the last 32 bits. No zone (`%eth0`).
    public init?(ipv6 text: some StringProtocol) {
        let text = String(text)
        guard (2...45).contains(text.utf8.count) else { return nil }
        let halves = text.components(separatedBy: "::")
        var groups: [UInt16]
        switch halves.count {
        case 1:
            guard let all = Self.groups(halves[0], lastMayBeQuad: true), all.count == 8 else { return nil }
            groups = all
        case 2:
            guard let head = Self.groups(halves[0], lastMayBeQuad: false), let tail = Self.groups(halves[1], lastMayBeQuad: true),
                  head.count + tail.count <= 7 else { return nil }
            groups = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        default:
            return nil
        }
        let high = groups[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        let low = groups[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        self = .v6(high: high, low: low)
    }

    private static func groups(_ part: String, lastMayBeQuad: Bool) -> [UInt16]? {
        if part.isEmpty { return [] }
        let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, piece) in pieces.enumerated() {
            if lastMayBeQuad, index == pieces.count - 1, piece.contains("."), case .v4(let value)? = IPAddress(dottedQuad: piece) {
                groups += [UInt16(value >> 16), UInt16(value & 0xffff)]
                continue
            }
            // UInt16(_:radix:) would also take a sign, so the digits are checked first.
            guard (1...4).contains(piece.utf8.count), piece.allSatisfy(\.isHexDigit), let group = UInt16(piece, radix: 16) else { return nil }
            groups.append(group)
        }
        return groups
    }

    /// Either spelling: a dotted quad or an IPv6 address (without brackets).
    public init?(_ text: some StringProtocol) {
        if let address = IPAddress(dottedQuad: text) ?? IPAddress(ipv6: text) { self = address } else { return nil }
    }

    /// From the bytes of a socket address, in network order: 4 for IPv4, 16 for IPv6.
    public init?(bytes: some Collection<UInt8>) {
        switch bytes.count {
        case 4: self = .v4(bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        case 16:
            self = .v6(high: bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) },
                       low: bytes.dropFirst(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        default: return nil
        }
    }

    /// 32 for IPv4, 128 for IPv6.
    public var bitWidth: Int {
        switch self {
        case .v4: 32
        case .v6: 128
        }
    }

    /// The IPv4 address an IPv6 address stands for: `::ffff:a.b.c.d` (IPv4-mapped, how a dual-stack
    /// socket reaches IPv4) and `64:ff9b::a.b.c.d` (NAT64, which a gateway translates to IPv4).
    public var embeddedIPv4: IPAddress? {
        guard case .v6(let high, let low) = self else { return nil }
        let isMapped = high == 0 && low >> 32 == 0xffff
        let isNAT64 = high == 0x0064_ff9b_0000_0000 && low >> 32 == 0
        return isMapped || isNAT64 ? .v4(UInt32(truncatingIfNeeded: low)) : nil
    }
}

extension IPAddress: CustomStringConvertible {
    /// The usual text form (IPv6 with its longest run of zero groups as `::`), which
    /// `IPAddress(_:)` and `getaddrinfo` read back as the same address.
    public var description: String {
        switch self {
        case .v4(let value):
            return [24, 16, 8, 0].map { String(value >> $0 & 0xff) }.joined(separator: ".")
        case .v6(let high, let low):
            let groups = [48, 32, 16, 0].map { UInt16(truncatingIfNeeded: high >> $0) } + [48, 32, 16, 0].map { UInt16(truncatingIfNeeded: low >> $0) }
            var best: Range<Int> = 0..<0
            var start: Int?
            for index in 0...8 {
                if index < 8, groups[index] == 0 {
                    if start == nil { start = index }
                } else if let runStart = start {
                    if index - runStart > best.count { best = runStart..<index }
                    start = nil
                }
            }
            let hex = groups.map { String($0, radix: 16) }
            guard best.count >= 2 else { return hex.joined(separator: ":") }
            return hex[..<best.lowerBound].joined(separator: ":") + "::" + hex[best.upperBound...].joined(separator: ":")
        }
    }
}

/// A range of addresses written as `10.0.0.0/8` or `fd00::/8`; a bare address is a range of one.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the range (bits past the prefix cleared).
    public let address: IPAddress
    public let prefixLength: Int

    public init?(_ text: some StringProtocol) {
        let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), let address = IPAddress(pieces[0]) else { return nil }
        var length = address.bitWidth
        if pieces.count == 2 {
            let digits = pieces[1]
            guard (1...3).contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                  let parsed = Int(digits), parsed <= address.bitWidth else { return nil }
            length = parsed
        }
        self.init(address: address, prefixLength: length)
    }

    /// `prefixLength` is clamped to the address family's width.
    public init(address: IPAddress, prefixLength: Int) {
        let length = min(max(prefixLength, 0), address.bitWidth)
        self.prefixLength = length
        self.address = Self.masked(address, length)
    }

    public func contains(_ candidate: IPAddress) -> Bool {
        switch (address, candidate) {
        case (.v4, .v4), (.v6, .v6): Self.masked(candidate, prefixLength) == address
        default: false
        }
    }

    public var description: String { "\(address)/\(prefixLength)" }

    // Swift's `<<` by the full width gives 0 instead of trapping, which is the mask wanted there.
    private static func masked(_ address: IPAddress, _ length: Int) -> IPAddress {
        switch address {
        case .v4(let value):
            return .v4(length == 0 ? 0 : value & (UInt32.max << (32 - length)))
        case .v6(let high, let low):
            let highMask: UInt64 = length == 0 ? 0 : (length >= 64 ? .max : .max << (64 - length))
            let lowMask: UInt64 = length <= 64 ? 0 : .max << (128 - length)
            return .v6(high: high & highMask, low: low & lowMask)
        }
    }
}
