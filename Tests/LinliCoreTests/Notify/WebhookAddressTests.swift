import PropertyBased
import Testing
@testable import LinliCore

@Suite("Webhooks stay out of the server's own network")
struct WebhookAddressTests {
    static let none = WebhookNetworkPolicy()

    static func address(_ text: String) throws -> IPAddress { try #require(IPAddress(text), "\(text)") }

    @Test("addresses of this machine and its networks are refused, each in its range",
          arguments: [
              ("127.0.0.1", InternalNetwork.loopback), ("127.255.0.9", .loopback), ("::1", .loopback),
              ("169.254.169.254", .linkLocal), ("fe80::1", .linkLocal), ("febf:ffff::1", .linkLocal),
              ("10.0.0.1", .privateUse), ("172.16.0.1", .privateUse), ("172.31.255.255", .privateUse), ("192.168.1.1", .privateUse),
              ("fc00::1", .privateUse), ("fd12:3456::1", .privateUse),
              ("0.0.0.0", .unspecified), ("0.1.2.3", .unspecified), ("::", .unspecified),
              ("100.100.100.200", .sharedAddressSpace), ("224.0.0.1", .multicast), ("ff02::1", .multicast), ("255.255.255.255", .reserved),
              ("::ffff:127.0.0.1", .loopback), ("::ffff:169.254.169.254", .linkLocal), ("::ffff:a00:1", .privateUse),
              ("64:ff9b::10.0.0.1", .privateUse), ("::127.0.0.1", .reserved),
          ])
    func internalAddresses(text: String, network: InternalNetwork) throws {
        let address = try Self.address(text)
        #expect(InternalNetwork.containing(address) == network)
        #expect(Self.none.refusal(of: address) == network)
    }

    @Test("public addresses are allowed, including those just outside the private ranges",
          arguments: ["203.0.113.7", "172.15.255.255", "172.32.0.0", "192.169.0.1", "100.63.255.255", "100.128.0.0", "169.253.255.255",
                      "11.0.0.1", "2001:db8::1", "2400:3200::1", "::ffff:203.0.113.7", "fbff::1", "2408:8000::1"])
    func publicAddresses(text: String) throws {
        #expect(Self.none.refusal(of: try Self.address(text)) == nil)
    }

    @Test("an operator's allowed range lets its addresses through, and their IPv4-mapped forms, but nothing beside them")
    func allowedRanges() throws {
        let policy = WebhookNetworkPolicy(allowing: [try #require(IPNetwork("127.0.0.1/32")), try #require(IPNetwork("10.8.0.0/16"))])
        #expect(policy.refusal(of: try Self.address("127.0.0.1")) == nil)
        #expect(policy.refusal(of: try Self.address("::ffff:127.0.0.1")) == nil)
        #expect(policy.refusal(of: try Self.address("10.8.200.1")) == nil)
        #expect(policy.refusal(of: try Self.address("127.0.0.2")) == .loopback)
        #expect(policy.refusal(of: try Self.address("10.9.0.1")) == .privateUse)
        #expect(policy.refusal(of: try Self.address("::1")) == .loopback)
        #expect(policy.refusal(of: try Self.address("169.254.169.254")) == .linkLocal)
    }

    @Test("odd spellings of IPv4 that C's resolver reads as an address are refused, not guessed at",
          arguments: ["2130706433", "0177.0.0.1", "0x7f.1", "0x7f000001", "127.1", "127.0.1", "017700000001", "127.0.0.01", "1.2.3.4.5",
                      "127.0.0.1.", "0x7f.0.0.1", "256.0.0.1", "1e100", "example.0x7f", "[::1%25lo]", "127.0.0.%31", "exa_mple.com",
                      "-bad.example", "", "[1.2.3.4]", "[::ffff:1.2.3]", "fe80::1%25eth0", "::1::2"])
    func unclearHosts(host: String) {
        #expect(throws: WebhookTargetError(.hostUnclear)) { try WebhookHost(urlHost: host) }
    }

    @Test("clear hosts are read as an address or a lower-cased name",
          arguments: [
              ("203.0.113.7", WebhookHost.address(.v4(0xcb00_7107))), ("[::1]", .address(.v6(high: 0, low: 1))), ("::1", .address(.v6(high: 0, low: 1))),
              ("QYAPI.weixin.qq.com", .name("qyapi.weixin.qq.com")), ("oapi.dingtalk.com.", .name("oapi.dingtalk.com")),
              ("open.feishu.cn", .name("open.feishu.cn")), ("xn--fiq228c.com", .name("xn--fiq228c.com")), ("1password.com", .name("1password.com")),
          ])
    func clearHosts(host: String, expected: WebhookHost) throws {
        #expect(try WebhookHost(urlHost: host) == expected)
    }

    @Test("saving refuses internal addresses and names that always mean this machine, unless allowed",
          arguments: ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:5432/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
                      "http://0.0.0.0:8080/", "https://10.1.2.3/hook", "http://localhost:8080/", "http://LOCALHOST./", "http://api.localhost/",
                      "http://ip6-localhost/"])
    func refusedAtSave(url: String) throws {
        #expect(throws: WebhookTargetError(.hostNotAllowed)) { try Self.none.check(url: url) }
        let everything = WebhookNetworkPolicy(allowing: [try #require(IPNetwork("0.0.0.0/0")), try #require(IPNetwork("::/0"))])
        #expect(throws: Never.self) { try everything.check(url: url) }
    }

    @Test("saving accepts the platforms' robots and public names, which are checked again after resolution at delivery")
    func acceptedAtSave() throws {
        #expect(try Self.none.check(url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1") == .name("qyapi.weixin.qq.com"))
        #expect(try Self.none.check(url: "http://203.0.113.7:8080/hook") == .address(.v4(0xcb00_7107)))
        #expect(throws: WebhookTargetError(.hostUnclear)) { try Self.none.check(url: "http://2130706433/") }
        #expect(WebhookTargetError(.hostNotAllowed).field == "url" && WebhookTargetError(.hostUnclear).field == "url")
    }

    @Test("ranges are read as written and hold exactly their addresses")
    func networks() throws {
        let network = try #require(IPNetwork("172.16.5.4/12"))
        #expect(network.description == "172.16.0.0/12")
        let (inside, outside) = (try Self.address("172.31.0.1"), try Self.address("172.32.0.1"))
        #expect(network.contains(inside) && !network.contains(outside))
        #expect(try #require(IPNetwork("fe80::/10")).contains(try Self.address("febf::1")))
        #expect(!(try #require(IPNetwork("fe80::/10")).contains(try Self.address("127.0.0.1"))))
        #expect(IPNetwork("10.0.0.1")?.description == "10.0.0.1/32" && IPNetwork("::1")?.description == "::1/128")
        for bad in ["10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "ten/8", "10.0.0.0/8/8", "localhost"] {
            #expect(IPNetwork(bad) == nil, "\(bad)")
        }
    }

    @Test("every IPv4 address prints as its dotted quad and reads back the same")
    func ipv4RoundTrip() async {
        await propertyCheck(count: 500, input: Gen.uint32()) { value in
            let address = IPAddress.v4(value)
            #expect(IPAddress(dottedQuad: address.description) == address)
            let host = try WebhookHost(urlHost: address.description)
            #expect(host == .address(address))
        }
    }

    @Test("every IPv6 address prints in its short form and reads back the same")
    func ipv6RoundTrip() async {
        // Zero groups are common in real addresses, so half the halves are mostly zeros.
        let half = Gen.oneOf(Gen.uint64().eraseToAnySequence(), Gen.uint64().map { $0 & 0xffff_0000_0000_ffff }.eraseToAnySequence())
        await propertyCheck(count: 500, input: half, half) { high, low in
            let address = IPAddress.v6(high: high, low: low)
            #expect(IPAddress(ipv6: address.description) == address, "\(address)")
            let host = try WebhookHost(urlHost: "[\(address)]")
            #expect(host == .address(address))
        }
    }

    @Test("an internal IPv4 address is refused in every spelling: mapped, NAT64, decimal, hex, octal and short")
    func internalInEverySpelling() async {
        let internalAddress = Gen.oneOf(
            Gen.uint32(in: 0x7f00_0000...0x7fff_ffff).eraseToAnySequence(),  // 127/8
            Gen.uint32(in: 0xa9fe_0000...0xa9fe_ffff).eraseToAnySequence(),  // 169.254/16
            Gen.uint32(in: 0x0a00_0000...0x0aff_ffff).eraseToAnySequence(),  // 10/8
            Gen.uint32(in: 0xc0a8_0000...0xc0a8_ffff).eraseToAnySequence()  // 192.168/16
        )
        await propertyCheck(count: 300, input: internalAddress) { value in
            let v4 = IPAddress.v4(value)
            #expect(Self.none.refusal(of: v4) != nil)
            #expect(Self.none.refusal(of: .v6(high: 0, low: 0xffff_0000_0000 | UInt64(value))) == Self.none.refusal(of: v4))
            #expect(Self.none.refusal(of: .v6(high: 0x0064_ff9b_0000_0000, low: UInt64(value))) == Self.none.refusal(of: v4))
            #expect(throws: WebhookTargetError(.hostNotAllowed)) { try Self.none.check(url: "http://\(v4)/") }
            #expect(throws: WebhookTargetError(.hostNotAllowed)) { try Self.none.check(url: "http://[::ffff:\(v4)]/") }
            let (first, rest) = (value >> 24, value & 0x00ff_ffff)
            for spelling in ["\(value)", "0x" + String(value, radix: 16), "0" + String(value, radix: 8), "\(first).\(rest)",
                             "0x\(String(first, radix: 16)).\(rest)", "0\(String(first, radix: 8)).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"] {
                #expect(throws: WebhookTargetError(.hostUnclear), "\(spelling)") { try Self.none.check(url: "http://\(spelling)/") }
            }
        }
    }

    @Test("a range always holds its own first address and the address it was written with")
    func rangeHoldsItsAddress() async {
        await propertyCheck(count: 300, input: Gen.uint32(), Gen.int(in: 0...32)) { value, length in
            let network = IPNetwork(address: .v4(value), prefixLength: length)
            #expect(network.contains(.v4(value)) && network.contains(network.address))
            #expect(IPNetwork(network.description) == network)
        }
    }
}
