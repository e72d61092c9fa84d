import Foundation

/// An IP address a webhook delivery could connect to.
///
/// An admin can type any URL into a notification target, and the server would POST to it from
/// inside its own network. Without a check, a target such as `http://169.254.169.254/` (a cloud's
/// instance metadata, with its credentials) or `http://127.0.0.1:5432/` reaches what only the
/// server itself should reach. These types say which addresses are inside and which an operator
/// allowed; `WebhookNetworkPolicy` applies them when a target is saved and again after name
/// resolution when it is delivered.
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

/// The address ranges that belong to the server's own machine or network, never to a chat
/// platform or a partner's public endpoint.
public enum InternalNetwork: String, Sendable, Hashable, CaseIterable {
    /// 0.0.0.0/8 and `::`: Linux connects to these as to the machine itself.
    case unspecified
    /// 127.0.0.0/8 and `::1`.
    case loopback
    /// 169.254.0.0/16 (where clouds serve instance metadata and credentials) and fe80::/10.
    case linkLocal = "link_local"
    /// 10/8, 172.16/12, 192.168/16, fc00::/7 and the retired site-local fec0::/10.
    case privateUse = "private"
    /// 100.64.0.0/10, carrier-grade NAT; Alibaba Cloud serves instance metadata at 100.100.100.200.
    case sharedAddressSpace = "shared_address_space"
    /// 224.0.0.0/4 and ff00::/8.
    case multicast
    /// 240.0.0.0/4 (with the broadcast address) and the retired IPv4-compatible `::a.b.c.d`.
    case reserved

    private static let ranges: [(String, InternalNetwork)] = [
        ("0.0.0.0/8", .unspecified), ("127.0.0.0/8", .loopback), ("169.254.0.0/16", .linkLocal),
        ("10.0.0.0/8", .privateUse), ("172.16.0.0/12", .privateUse), ("192.168.0.0/16", .privateUse),
        ("100.64.0.0/10", .sharedAddressSpace), ("224.0.0.0/4", .multicast), ("240.0.0.0/4", .reserved),
        ("::/128", .unspecified), ("::1/128", .loopback), ("fe80::/10", .linkLocal), ("fec0::/10", .privateUse),
        ("fc00::/7", .privateUse), ("ff00::/8", .multicast), ("::/96", .reserved),
    ]
    private static let networks: [(IPNetwork, InternalNetwork)] = ranges.compactMap { text, kind in IPNetwork(text).map { ($0, kind) } }

    /// The internal range holding `address`, judging an IPv4-mapped or NAT64 address by the IPv4
    /// address it reaches; nil for a public address.
    public static func containing(_ address: IPAddress) -> InternalNetwork? {
        if let inner = address.embeddedIPv4 { return containing(inner) }
        return networks.first { $0.0.contains(address) }?.1
    }
}

/// The host of a webhook URL, read the way the connection will read it.
public enum WebhookHost: Sendable, Hashable {
    case address(IPAddress)
    /// A DNS name, lower-cased and without a trailing dot.
    case name(String)

    /// Accepts three spellings only: a dotted quad, an IPv6 address in brackets, and a DNS name
    /// (letters, digits and hyphens in dot-separated labels) whose last label does not start with
    /// a digit. A host that is none of these (`2130706433`, `0x7f.1`, `127.1`, `0177.0.0.1`, a
    /// percent sign or a zone) is one that some library could read as an internal address, so it
    /// is refused rather than guessed at. `host` is the URL's host as written (percent-encoded).
    public init(urlHost host: String) throws(WebhookTargetError) {
        var text = Substring(host)
        if text.hasPrefix("["), text.hasSuffix("]") {
            text = text.dropFirst().dropLast()
            guard let address = IPAddress(ipv6: text) else { throw WebhookTargetError(.hostUnclear) }
            self = .address(address)
            return
        }
        if text.contains(":") {
            // Some URL readers hand back an IPv6 host without its brackets.
            guard let address = IPAddress(ipv6: text) else { throw WebhookTargetError(.hostUnclear) }
            self = .address(address)
            return
        }
        if let address = IPAddress(dottedQuad: text) {
            self = .address(address)
            return
        }
        if text.hasSuffix(".") { text = text.dropLast() }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        let isLabel: (Substring) -> Bool = { label in
            (1...63).contains(label.utf8.count) && label.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
            } && label.first != "-" && label.last != "-"
        }
        // No top-level domain starts with a digit; a last label that does is an IP address
        // spelled in a way `inet_aton` reads and a dotted quad does not.
        guard (1...253).contains(text.utf8.count), labels.allSatisfy(isLabel), let last = labels.last, !(last.first?.isNumber ?? true)
        else { throw WebhookTargetError(.hostUnclear) }
        self = .name(text.lowercased())
    }

    /// Names that mean this machine whatever DNS says (RFC 6761 and Debian's /etc/hosts), with
    /// the addresses they stand for; nil for any other name.
    public var fixedAddresses: [IPAddress]? {
        guard case .name(let name) = self else { return nil }
        let loopback: [IPAddress] = [.v4(0x7f00_0001), .v6(high: 0, low: 1)]
        if name == "localhost" || name.hasSuffix(".localhost") || name == "localhost.localdomain" { return loopback }
        if name == "ip6-localhost" || name == "ip6-loopback" { return [.v6(high: 0, low: 1)] }
        return nil
    }
}

/// Which addresses webhook deliveries may reach: every public address, and the internal ranges
/// an operator allowed (`linli serve --webhook-allow-network`), for example a staging receiver
/// on the same machine or a company gateway on a private network.
public struct WebhookNetworkPolicy: Sendable, Hashable {
    public var allowed: [IPNetwork]

    public init(allowing allowed: [IPNetwork] = []) {
        self.allowed = allowed
    }

    /// The internal range that forbids `address`, or nil when a delivery may connect to it. An
    /// allowed range also allows the IPv4-mapped and NAT64 forms of its IPv4 addresses.
    public func refusal(of address: IPAddress) -> InternalNetwork? {
        guard let network = InternalNetwork.containing(address) else { return nil }
        let allowedHere = allowed.contains { range in range.contains(address) || address.embeddedIPv4.map(range.contains) == true }
        return allowedHere ? nil : network
    }

    /// The check when a target is saved: the host must be spelled clearly, and an address (or a
    /// name such as `localhost` that always means this machine) must not be internal. Other
    /// names are checked after resolution, at every delivery.
    @discardableResult
    public func check(url: String) throws(WebhookTargetError) -> WebhookHost {
        guard let components = URLComponents(string: url), let encodedHost = components.percentEncodedHost
        else { throw WebhookTargetError(.urlInvalid) }
        let host = try WebhookHost(urlHost: encodedHost)
        let addresses: [IPAddress]
        switch host {
        case .address(let address): addresses = [address]
        case .name: addresses = host.fixedAddresses ?? []
        }
        if addresses.contains(where: { refusal(of: $0) != nil }) { throw WebhookTargetError(.hostNotAllowed) }
        return host
    }
}
