import Foundation
@testable import LinliStore
import Testing

@Suite("Hash-chain entries hash to the same value whatever code builds their bytes")
struct HashChainEncodingTests {
    @Test("a known answer, computed outside Swift: SHA-256 over the previous hash and the typed, length-prefixed fields")
    func knownAnswer() {
        let hash = HashChain.hash(prevHash: HashChain.genesis, chain: "supplies/7", seq: 12,
                                  fields: [.text("handed_out"), .int(3), .int(-42), .null, .text("放门口，电话确认")])
        #expect(hash == "dac604e3c38fe6123534fc85709a25d14ad3ff416c8ed3d93dd257c1ec79dec9")
        #expect(String(decoding: HashChain.canonical(chain: "c", seq: 1, fields: [.int(Int64.min), .int(0)]), as: UTF8.self) == "t1:c;i1;2|i-9223372036854775808;i0;")
    }
}
