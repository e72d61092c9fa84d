import Foundation

// Which addresses a webhook delivery may connect to.
//
// An admin can type any URL into a notification target, and the server would POST to it from
// inside its own network. Without a check, a target such as `http://169.254.169.254/` (a cloud's
// instance metadata, with its credentials) or `http://127.0.0.1:5432/` reaches what only the
// server itself should reach. The types below say which addresses are inside and which an
// operator allowed; `WebhookNetworkPolicy` applies them when a target is saved and again after
// name resolution when it is delivered.

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
