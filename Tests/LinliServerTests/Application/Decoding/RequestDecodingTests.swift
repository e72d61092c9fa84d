import Foundation
@testable import LinliServer
import Testing

@Suite("Reading what callers send")
struct RequestDecodingTests {
    @Test("trimming white space gives what Foundation's .whitespacesAndNewlines gives", arguments: [
        "", " ", "\n\t ", "米", "  家里没有米了 \n", "\u{3000}全角空格\u{3000}", "\u{00A0}不换行\u{2028}", "中 间 的 空 格", "\r\n两头\r\n", "🏠\u{200B}",
    ])
    func trimming(text: String) {
        #expect(text.trimmingWhitespace == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("a bearer token is read whatever the scheme's case; anything else is no token")
    func bearer() {
        #expect(AuthenticationMiddleware.bearerToken("Bearer abc") == "abc")
        #expect(AuthenticationMiddleware.bearerToken("bearer  abc ") == "abc")
        #expect(AuthenticationMiddleware.bearerToken("BEARER abc") == "abc")
        #expect(AuthenticationMiddleware.bearerToken("Bearer") == nil)
        #expect(AuthenticationMiddleware.bearerToken("Bearerabc") == nil)
        #expect(AuthenticationMiddleware.bearerToken("Basic abc") == nil)
        #expect(AuthenticationMiddleware.bearerToken("Bearer ") == nil)
    }
}
