import Foundation
import Testing
@testable import LinliCore

@Suite("Webhook bodies in each platform's group-robot format")
struct WebhookPayloadTests {
    typealias F = NotifyFixtures

    @Test("WeCom gets a text message that @s the new owner by phone")
    func wecomText() {
        let rendered = F.render(for: .wecom(url: F.wecomURL))
        #expect(rendered.url == F.wecomURL)
        #expect(F.headerLines(rendered) == ["Content-Type: application/json"])
        #expect(F.bodyText(rendered) == #"""
        {"msgtype":"text","text":{"content":"诉求已上报：3号楼 201 配药\n胰岛素只剩一天的量\n请尽快联系\nhttps://linli.example/requests/42","mentioned_mobile_list":["13800138000"]}}
        """#)
    }

    @Test("WeCom leaves out the mention list and the link line when there are none")
    func wecomPlain() {
        let message = NotificationMessage(kind: "request.filed", subjectID: "7", title: "新诉求：5号楼 302", text: "需要买菜")
        #expect(F.bodyText(F.render(message, for: .wecom(url: F.wecomURL))) == #"""
        {"msgtype":"text","text":{"content":"新诉求：5号楼 302\n需要买菜"}}
        """#)
    }

    @Test("a long text is cut to WeCom's 2,048 bytes on a character boundary, keeping the title and the link")
    func wecomLimit() throws {
        var message = F.escalated
        message.text = String(repeating: "胰岛素", count: 400)  // 3,600 bytes of UTF-8
        let body = F.render(message, for: .wecom(url: F.wecomURL)).body
        let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let content = try #require((json["text"] as? [String: Any])?["content"] as? String)
        #expect(content.utf8.count <= WebhookPayload.wecomTextLimit)
        #expect(content.utf8.count > WebhookPayload.wecomTextLimit - 3)
        #expect(content.hasPrefix("诉求已上报：3号楼 201 配药\n胰岛素"))
        #expect(content.hasSuffix("…\nhttps://linli.example/requests/42"))
    }

    @Test("a text within the limit is not cut", arguments: [0, 1, 2048])
    func withinLimit(extra: Int) {
        let text = String(repeating: "a", count: 100)
        #expect(WebhookPayload.truncated(text, toUTF8Bytes: 100 + extra) == text)
    }

    @Test("a cut keeps whole characters and the ellipsis within the limit")
    func cutOnCharacters() {
        #expect(WebhookPayload.truncated("药药药", toUTF8Bytes: 8) == "药…")
        #expect(WebhookPayload.truncated("药药药", toUTF8Bytes: 6) == "药…")
        #expect(WebhookPayload.truncated("药药药", toUTF8Bytes: 5) == "…")
        #expect(WebhookPayload.truncated("药药药", toUTF8Bytes: 2) == "")
    }

    @Test("DingTalk gets Markdown with a title, one paragraph per line, the link and @phone in the text and in atMobiles")
    func dingtalkMarkdown() {
        let rendered = F.render(for: .dingtalk(url: F.dingtalkURL, secret: nil))
        #expect(rendered.url == F.dingtalkURL)
        #expect(F.headerLines(rendered) == ["Content-Type: application/json"])
        #expect(F.bodyText(rendered) == #"""
        {"at":{"atMobiles":["13800138000"],"isAtAll":false},"markdown":{"text":"#### 诉求已上报：3号楼 201 配药\n\n胰岛素只剩一天的量\n\n请尽快联系\n\n[https://linli.example/requests/42](https://linli.example/requests/42)\n\n@13800138000","title":"诉求已上报：3号楼 201 配药"},"msgtype":"markdown"}
        """#)
    }

    @Test("DingTalk shows Markdown a resident typed as typed, so it cannot become a link")
    func dingtalkEscapes() throws {
        let message = NotificationMessage(kind: "request.filed", subjectID: "9", title: "新诉求", text: #"[领取补贴](http://evil.example) *急* \o/ a_b `x`"#)
        let body = F.render(message, for: .dingtalk(url: F.dingtalkURL, secret: nil)).body
        let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let markdown = try #require(json["markdown"] as? [String: Any])
        #expect(markdown["text"] as? String == "#### 新诉求\n\n" + #"\[领取补贴\](http://evil.example) \*急\* \\o/ a\_b \`x\`"#)
        #expect((json["at"] as? [String: Any])?["atMobiles"] as? [String] == [])
    }

    @Test("a signed DingTalk URL gets the millisecond timestamp and the URL-encoded Base64 HMAC of \"timestamp\\nsecret\"")
    func dingtalkSignedURL() {
        let rendered = F.render(for: .dingtalk(url: F.dingtalkURL, secret: F.dingtalkSecret))
        // Computed once with Python: base64(hmac.new(secret, f"{ms}\n{secret}", sha256)), quoted with safe=''.
        #expect(rendered.url == F.dingtalkURL + "&timestamp=1648771200000&sign=EX1KiTmRkAtSFiln%2BCC70Thq3oKK%2FhYNuBe8CI5WM0Y%3D")
        #expect(rendered.body == F.render(for: .dingtalk(url: F.dingtalkURL, secret: nil)).body)
    }

    @Test("DingTalk signs with the secret as key over milliseconds, newline, secret")
    func dingtalkStringToSign() {
        var seen: [(key: String, message: String)] = []
        let rendered = WebhookPayload.render(F.escalated, for: .dingtalk(url: "https://oapi.dingtalk.com/robot/send", secret: "s3cret"),
                                             timestamp: Date(timeIntervalSince1970: 1_648_771_200.5)) { key, message in
            seen.append((String(decoding: key, as: UTF8.self), String(decoding: message, as: UTF8.self)))
            return Data("sig".utf8)
        }
        #expect(seen.map(\.key) == ["s3cret"])
        #expect(seen.map(\.message) == ["1648771200500\ns3cret"])
        #expect(rendered.url == "https://oapi.dingtalk.com/robot/send?timestamp=1648771200500&sign=c2ln")
    }

    @Test("Feishu gets a rich-text post with the title, the text and a clickable link, signed in the body")
    func feishuPost() {
        let rendered = F.render(for: .feishu(url: F.feishuURL, secret: "feishu-secret"))
        #expect(rendered.url == F.feishuURL)
        #expect(F.headerLines(rendered) == ["Content-Type: application/json"])
        // sign computed once with Python: base64(hmac.new(f"{seconds}\n{secret}", b"", sha256)).
        #expect(F.bodyText(rendered) == #"""
        {"content":{"post":{"zh_cn":{"content":[[{"tag":"text","text":"胰岛素只剩一天的量\n请尽快联系"}],[{"href":"https://linli.example/requests/42","tag":"a","text":"https://linli.example/requests/42"}]],"title":"诉求已上报：3号楼 201 配药"}}},"msg_type":"post","sign":"pwCqUL6V/sa9luZR6Tp3/nDwdQduCRb2Uy5AThjj2Wc=","timestamp":"1648771200"}
        """#)
    }

    @Test("Feishu signs with \"seconds\\nsecret\" as the key over an empty message")
    func feishuStringToSign() {
        var seen: [(key: String, message: Data)] = []
        _ = WebhookPayload.render(F.escalated, for: .feishu(url: F.feishuURL, secret: "s3cret"),
                                  timestamp: Date(timeIntervalSince1970: 1_648_771_200.9)) { key, message in
            seen.append((String(decoding: key, as: UTF8.self), message))
            return Data()
        }
        #expect(seen.map(\.key) == ["1648771200\ns3cret"])
        #expect(seen.map(\.message) == [Data()])
    }

    @Test("an unsigned Feishu post has no timestamp or sign, and no phone number: Feishu cannot @ by phone")
    func feishuUnsigned() {
        let message = NotificationMessage(kind: "request.filed", subjectID: "7", title: "新诉求", text: "需要买菜", mentions: ["13800138000"])
        #expect(F.bodyText(F.render(message, for: .feishu(url: F.feishuURL, secret: nil))) == #"""
        {"content":{"post":{"zh_cn":{"content":[[{"tag":"text","text":"需要买菜"}]],"title":"新诉求"}}},"msg_type":"post"}
        """#)
    }

    @Test("a plain HTTP webhook gets Linli's own JSON and an HMAC of \"timestamp.body\" in its headers")
    func plainHTTP() {
        let rendered = F.render(for: .http(url: F.httpURL, secret: "linli-shared-secret"), at: F.morning.addingTimeInterval(0.75))
        #expect(rendered.url == F.httpURL)
        #expect(F.bodyText(rendered) == #"""
        {"kind":"request.escalated","link":"https://linli.example/requests/42","sent_at":"2022-04-01T00:00:00Z","subject_id":"42","text":"胰岛素只剩一天的量\n请尽快联系","title":"诉求已上报：3号楼 201 配药"}
        """#)
        // Computed once with Python: hmac.new(secret, b"1648771200." + body, sha256).hexdigest().
        #expect(F.headerLines(rendered) == [
            "Content-Type: application/json",
            "X-Linli-Timestamp: 1648771200",
            "X-Linli-Signature: sha256=4c71b105cc731fe3f1aa02476f78854240388283fb3c5fe1a9181d77a42bcda6",
        ])
    }

    @Test("a receiver following the documented recipe accepts the delivery, and refuses a changed body")
    func receiverRecipe() throws {
        let secret = Data("linli-shared-secret".utf8)
        let rendered = F.render(for: .http(url: F.httpURL, secret: "linli-shared-secret"))
        let headers = Dictionary(uniqueKeysWithValues: rendered.headers)
        let timestamp = try #require(headers["X-Linli-Timestamp"])
        let signature = try #require(headers["X-Linli-Signature"])
        func verifies(_ body: Data) -> Bool {
            "sha256=" + KnownAnswerHMAC.hex(KnownAnswerHMAC.sign(secret, Data("\(timestamp).".utf8) + body)) == signature
        }
        #expect(verifies(rendered.body))
        #expect(!verifies(Data(F.bodyText(rendered).replacingOccurrences(of: "42", with: "43").utf8)))
    }

    @Test("a plain HTTP body without a link says so with null, keeping every key")
    func plainWithoutLink() {
        let message = NotificationMessage(kind: "request.filed", subjectID: "7", title: "新诉求", text: "需要买菜")
        #expect(F.bodyText(F.render(message, for: .http(url: F.httpURL, secret: "k"))) == #"""
        {"kind":"request.filed","link":null,"sent_at":"2022-04-01T00:00:00Z","subject_id":"7","text":"需要买菜","title":"新诉求"}
        """#)
    }

    @Test("a message survives the outbox's JSON, and an old row without mentions reads as none")
    func messageRoundTrip() throws {
        let decoded = try JSONDecoder().decode(NotificationMessage.self, from: JSONEncoder().encode(F.escalated))
        #expect(decoded == F.escalated)
        let old = #"{"kind":"request.filed","subject_id":"7","title":"新诉求","text":"需要买菜"}"#
        let read = try JSONDecoder().decode(NotificationMessage.self, from: Data(old.utf8))
        #expect(read.mentions.isEmpty && read.link == nil && read.subjectID == "7")
    }
}
