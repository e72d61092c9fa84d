import Hummingbird
import HTTPTypes
import LinliCore

/// The reverse proxies whose word Linli takes for the client's address (`--trusted-proxy`):
/// addresses or CIDR ranges.
public struct TrustedProxies: Sendable, Equatable {
    let ranges: [IPNetwork]

    public static let none = TrustedProxies(ranges: [])

    private init(ranges: [IPNetwork]) { self.ranges = ranges }

    /// Parses "10.0.0.5", "10.0.0.0/8", "::1", "fd00::/8"; throws naming the first that is not one.
    public init(_ arguments: [String]) throws(TrustedProxyError) {
        var ranges: [IPNetwork] = []
        for argument in arguments {
            guard let range = IPNetwork(argument) else { throw TrustedProxyError(argument: argument) }
            ranges.append(range)
        }
        self.ranges = ranges
    }

    func contains(_ address: IPAddress) -> Bool { ranges.contains { $0.contains(address) } }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then the right-most
    /// address of X-Forwarded-For that is not itself a trusted proxy. Everything left of that was
    /// written by the client and may be forged. Without trusted proxies the header is ignored, so
    /// a client cannot choose its own address.
    func clientAddress(peer: String?, forwardedFor: [String]) -> String {
        guard let peer, let peerAddress = ClientAddress.parse(peer) else { return peer ?? "unknown" }
        guard contains(peerAddress) else { return peerAddress.description }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
        var client = peerAddress
        for hop in hops.reversed() {
            // Garbage where a trusted proxy should have written an address: stop at the last one we trust.
            guard let address = ClientAddress.parse(hop) else { break }
            client = address
            if !contains(address) { break }
        }
        return client.description
    }
}

public struct TrustedProxyError: Error, CustomStringConvertible {
    public let argument: String
    public var description: String { "--trusted-proxy: '\(argument)' is not an IP address or a CIDR range such as 10.0.0.0/8" }
}

enum ClientAddress {
    /// A client's address as a socket or a proxy writes it. An IPv4 client seen through an IPv6
    /// socket (`::ffff:a.b.c.d`) is that IPv4 client.
    static func parse(_ text: some StringProtocol) -> IPAddress? {
        guard let address = IPAddress(text.trimmingCharacters(in: .whitespaces)) else { return nil }
        return address.embeddedIPv4 ?? address
    }

    /// What the guess limits count an address as. An IPv6 client usually holds a whole /64, so
    /// counting single IPv6 addresses would give one guesser 2^64 fresh addresses.
    static func limitKey(_ address: String) -> String {
        guard let parsed = parse(address) else { return address }
        return parsed.bitWidth == 128 ? IPNetwork(address: parsed, prefixLength: 64).description : parsed.description
    }
}

/// Sets the request's client address from the peer and, behind trusted proxies, X-Forwarded-For.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = LinliRequestContext
    let trustedProxies: TrustedProxies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !trustedProxies.ranges.isEmpty, let header = HTTPField.Name("X-Forwarded-For") else { return try await next(request, context) }
        var context = context
        let forwarded = request.headers[values: header]
        context.remoteIP = trustedProxies.clientAddress(peer: context.remoteIP, forwardedFor: forwarded)
        return try await next(request, context)
    }
}
