import AsyncHTTPClient
import Foundation
import LinliCore
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One webhook POST, sent only where the operator's webhook networks allow.
///
/// A target was checked when it was saved, but a name can resolve elsewhere by the time a message
/// goes out, so every delivery resolves the name itself, refuses it if any of its addresses is
/// internal, and pins the connection to the address it checked. The HTTP client would otherwise
/// resolve the name again and could be handed a different answer (DNS rebinding). TLS still
/// verifies the certificate against the name, and redirects are not followed: a receiver could
/// otherwise send the POST on to an internal address.
enum WebhookConnection {
    /// Why a delivery was not attempted, as the outcome to record.
    struct Refusal: Error {
        var outcome: DeliveryOutcome
    }

    /// The host-to-address pins for the HTTP client (empty for an address literal), or a refusal.
    static func pins(for url: String, policy: WebhookNetworkPolicy) async throws(Refusal) -> [String: String] {
        guard let components = URLComponents(string: url), let encodedHost = components.percentEncodedHost,
              let clientHost = URL(string: url)?.host
        else { throw Refusal(outcome: .addressRefused("no host in the URL")) }
        let host: WebhookHost
        do {
            host = try WebhookHost(urlHost: encodedHost)
        } catch {
            throw Refusal(outcome: .addressRefused("\(encodedHost) is not a clear host name or address"))
        }
        switch host {
        case .address(let address):
            if let network = policy.refusal(of: address) { throw Refusal(outcome: .addressRefused("\(address) is \(network.rawValue), inside the server's own network")) }
            return [:]
        case .name(let name):
            let addresses: [IPAddress]
            do {
                addresses = try await resolve(name)
            } catch {
                throw Refusal(outcome: .noResponse("cannot resolve \(name): \(error)"))
            }
            for address in addresses {
                if let network = policy.refusal(of: address) {
                    throw Refusal(outcome: .addressRefused("\(name) resolves to \(address), which is \(network.rawValue), inside the server's own network"))
                }
            }
            // IPv4 first where there is one: many servers have no route for IPv6, and only one
            // address is tried once the connection is pinned.
            guard let chosen = addresses.first(where: { $0.bitWidth == 32 }) ?? addresses.first
            else { throw Refusal(outcome: .noResponse("\(name) has no address")) }
            return [clientHost: chosen.description]
        }
    }

    /// Posts the rendered message and classifies the answer; no HTTP answer at all is `noResponse`.
    static func post(_ rendered: RenderedWebhook, to target: WebhookTarget, pins: [String: String]) async -> DeliveryOutcome {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(10))
        configuration.dnsOverride = pins
        // A client per delivery, because the pins are per client; deliveries are a few a minute.
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let outcome: DeliveryOutcome
        do {
            var request = HTTPClientRequest(url: rendered.url)
            request.method = .POST
            for (name, value) in rendered.headers { request.headers.add(name: name, value: value) }
            request.body = .bytes(ByteBuffer(bytes: rendered.body))
            let response = try await client.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 64 * 1024)
            outcome = DeliveryOutcome.classify(target: target, status: Int(response.status.code), body: Data(buffer: body))
        } catch {
            outcome = .noResponse(String(describing: error))
        }
        try? await client.shutdown()
        return outcome
    }

    /// The addresses of a name from the system's resolver (`getaddrinfo`, as the HTTP client
    /// uses), on a thread of its own: a slow DNS server must not hold one of the few threads
    /// that run every request.
    static func resolve(_ name: String) async throws -> [IPAddress] {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try lookUp(name) }) }.start()
        }
    }

    struct ResolutionError: Error, CustomStringConvertible {
        var description: String
    }

    private static func lookUp(_ name: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(name, nil, &hints, &list)
        guard status == 0 else { throw ResolutionError(description: String(cString: gai_strerror(status))) }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var cursor = list
        while let entry = cursor?.pointee {
            if let socketAddress = entry.ai_addr {
                switch entry.ai_family {
                case AF_INET:
                    var inet = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                    if let address = withUnsafeBytes(of: &inet.sin_addr, { IPAddress(bytes: $0) }) { addresses.append(address) }
                case AF_INET6:
                    var inet6 = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
                    if let address = withUnsafeBytes(of: &inet6.sin6_addr, { IPAddress(bytes: $0) }) { addresses.append(address) }
                default:
                    break
                }
            }
            cursor = entry.ai_next
        }
        return addresses
    }
}
