import Foundation
import Hummingbird
import HTTPTypes
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as its bytes (4 or 16).
struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    let bytes: [UInt8]

    init?(_ text: some StringProtocol) {
        let text = String(text).trimmingCharacters(in: .whitespaces)
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            let all = withUnsafeBytes(of: &v6) { Array($0) }
            // An IPv4 client seen through an IPv6 socket (::ffff:a.b.c.d) is that IPv4 client.
            bytes = all.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] ? Array(all.suffix(4)) : all
        } else {
            return nil
        }
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// The first `bits` bits, the rest zero.
    func prefix(_ bits: Int) -> IPAddress {
        IPAddress(bytes: bytes.enumerated().map { index, byte in
            let kept = min(8, max(0, bits - index * 8))
            return kept == 8 ? byte : kept == 0 ? 0 : byte & ~(UInt8.max >> kept)
        })
    }

    var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let written = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        guard written != nil else { return bytes.map { String($0) }.joined(separator: ".") }
        return String(cString: buffer)
    }
}

/// The reverse proxies whose word Linli takes for the client's address (`--trusted-proxy`):
/// addresses or CIDR ranges.
public struct TrustedProxies: Sendable, Equatable {
    struct Range: Sendable, Equatable {
        let network: IPAddress
        let bits: Int
        func contains(_ address: IPAddress) -> Bool {
            address.bytes.count == network.bytes.count && address.prefix(bits) == network
        }
    }

    let ranges: [Range]

    public static let none = TrustedProxies(ranges: [])

    private init(ranges: [Range]) { self.ranges = ranges }

    /// Parses "10.0.0.5", "10.0.0.0/8", "::1", "fd00::/8"; throws naming the first that is not one.
    public init(_ arguments: [String]) throws(TrustedProxyError) {
        var ranges: [Range] = []
        for argument in arguments {
            let parts = argument.split(separator: "/", maxSplits: 1)
            guard let first = parts.first, let address = IPAddress(first) else { throw TrustedProxyError(argument: argument) }
            let width = address.bytes.count * 8
            var bits = width
            if parts.count == 2 {
                guard let prefix = Int(parts[1]), (0...width).contains(prefix) else { throw TrustedProxyError(argument: argument) }
                bits = prefix
            }
            ranges.append(Range(network: address.prefix(bits), bits: bits))
        }
        self.ranges = ranges
    }

    func contains(_ address: IPAddress) -> Bool { ranges.contains { $0.contains(address) } }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then the right-most
    /// address of X-Forwarded-For that is not itself a trusted proxy. Everything left of that was
    /// written by the client and may be forged. Without trusted proxies the header is ignored, so
    /// a client cannot choose its own address.
    func clientAddress(peer: String?, forwardedFor: [String]) -> String {
        guard let peer, let peerAddress = IPAddress(peer) else { return peer ?? "unknown" }
        guard contains(peerAddress) else { return peerAddress.description }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
        var client = peerAddress
        for hop in hops.reversed() {
            // Garbage where a trusted proxy should have written an address: stop at the last one we trust.
            guard let address = IPAddress(hop) else { break }
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
    /// What the guess limits count an address as. An IPv6 client usually holds a whole /64, so
    /// counting single IPv6 addresses would give one guesser 2^64 fresh addresses.
    static func limitKey(_ address: String) -> String {
        guard let parsed = IPAddress(address) else { return address }
        return parsed.bytes.count == 16 ? "\(parsed.prefix(64))/64" : parsed.description
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
