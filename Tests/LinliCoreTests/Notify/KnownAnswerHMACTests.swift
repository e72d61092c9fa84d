import Foundation
import Testing

/// The signing tests are only as good as the HMAC they check against, so it is checked first.
@Suite("The tests' HMAC-SHA256")
struct KnownAnswerHMACTests {
    @Test("SHA-256 gives the FIPS 180-4 digests of the empty string and of \"abc\"")
    func sha256() {
        #expect(KnownAnswerHMAC.hex(KnownAnswerHMAC.sha256(Data())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(KnownAnswerHMAC.hex(KnownAnswerHMAC.sha256(Data("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("HMAC-SHA256 gives the RFC 4231 answers, including a key longer than a block",
          arguments: [
              // Test case 1
              (String(repeating: "0b", count: 20), KnownAnswerHMAC.hex(Data("Hi There".utf8)),
               "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
              // Test case 2
              (KnownAnswerHMAC.hex(Data("Jefe".utf8)), KnownAnswerHMAC.hex(Data("what do ya want for nothing?".utf8)),
               "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
              // Test case 3
              (String(repeating: "aa", count: 20), String(repeating: "dd", count: 50),
               "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
              // Test case 6: a 131-byte key is hashed first
              (String(repeating: "aa", count: 131), KnownAnswerHMAC.hex(Data("Test Using Larger Than Block-Size Key - Hash Key First".utf8)),
               "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
          ])
    func rfc4231(key: String, message: String, expected: String) {
        let mac = KnownAnswerHMAC.sign(KnownAnswerHMAC.bytes(hex: key), KnownAnswerHMAC.bytes(hex: message))
        #expect(KnownAnswerHMAC.hex(mac) == expected)
    }
}
