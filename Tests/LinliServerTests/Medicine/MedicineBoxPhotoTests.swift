import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import NIOCore
import Testing

@Suite("Box photos: type-checked by their bytes, size-limited, stored on disk, read by those who may see health data, every read audited")
struct MedicineBoxPhotoTests {
    static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46]) + Data(repeating: 0x42, count: 2_000)
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 0x17, count: 500)

    func upload(_ data: Data, type: String, item: Int, token: String, client: some TestClientProtocol) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/medicine/items/\(item)/box-photo", method: .put,
                                 headers: [.authorization: "Bearer \(token)", .contentType: type], body: ByteBuffer(bytes: data))
    }

    @Test("upload over the API and through the page, replace, read back, refuse what is not a photo", arguments: TestEngine.available)
    func photos(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let lead = try await client.token(phone: try app.account(.compoundLead).phone)
            let runner = try await client.token(phone: try app.account(.medicineRunner).phone)
            let household = try #require(app.demo.households.first)
            let filed = try await client.json("/api/v1/requests", method: .post, token: lead, body: #"{"household_id":\#(household.id),"category":"medicine","description":"配药"}"#)
            let id = try #require(try filed.jsonObject()["id"] as? Int)
            let filled = try await client.json("/api/v1/requests/\(id)/medicine", method: .put, token: runner,
                                               body: #"{"items":[{"drug":"左甲状腺素钠片","quantity":1,"kind":"chronic_refill","source":"hospital_window","hospital":"曙光医院"}]}"#)
            let item = try #require((try filled.jsonObject()["items"] as? [[String: Any]])?.first?["id"] as? Int)
            let folder = app.services.filesDirectory.appendingPathComponent("medicine/box-photos")

            #expect(try await upload(Data("hello".utf8), type: "image/jpeg", item: item, token: runner, client: client).status == .unsupportedMediaType)
            #expect(try await upload(Self.jpeg, type: "image/png", item: item, token: runner, client: client).status == .unsupportedMediaType, "declared PNG, sent JPEG")
            #expect(try await upload(Data(), type: "image/jpeg", item: item, token: runner, client: client).status == .badRequest)
            #expect(try await upload(Self.jpeg + Data(count: BoxPhotoFormat.maximumBytes), type: "image/jpeg", item: item, token: runner, client: client).status == .contentTooLarge)
            #expect((try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty ?? true, "nothing refused reaches the disk")

            let stored = try await upload(Self.jpeg, type: "image/jpeg", item: item, token: runner, client: client)
            #expect(stored.status == .ok, "\(stored.text)")
            #expect((try stored.jsonObject()["items"] as? [[String: Any]])?.first?["has_box_photo"] as? Bool == true)
            let first = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(first.count == 1 && first[0].hasPrefix("\(item)-") && first[0].hasSuffix(".jpg"))

            let read = try await client.execute(uri: "/api/v1/medicine/items/\(item)/box-photo", method: .get, headers: [.authorization: "Bearer \(lead)"], body: nil)
            #expect(read.status == .ok && read.headers[.contentType] == "image/jpeg" && Data(buffer: read.body) == Self.jpeg)
            let audited = try await app.store.read { db in try await AuditRecords.entries(action: "medicine_item.read_photo", limit: 10, on: db).count }
            #expect(audited == 1)
            let shopper = try await client.token(phone: try app.account(.groupBuyLeader).phone)
            #expect(try await client.execute(uri: "/api/v1/medicine/items/\(item)/box-photo", method: .get, headers: [.authorization: "Bearer \(shopper)"], body: nil).status == .forbidden)
            #expect(try await upload(Self.jpeg, type: "image/jpeg", item: item, token: shopper, client: client).status == .forbidden)
            #expect(try await client.execute(uri: "/api/v1/medicine/items/99999999/box-photo", method: .get, headers: [.authorization: "Bearer \(lead)"], body: nil).status == .notFound)

            // Through the page, as a phone's file input sends it: the PNG replaces the JPEG.
            var browser = Browser()
            try await browser.logIn(phone: try app.account(.medicineRunner).phone, client: client)
            let page = try await browser.get("/requests/\(id)/medicine", client: client)
            #expect(page.text.contains("enctype=\"multipart/form-data\"") && page.text.contains("href=\"/medicine/items/\(item)/box-photo\""))
            let boundary = "----linli-test"
            var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(try Browser.csrfToken(in: page))\r\n".utf8)
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"box.png\"\r\nContent-Type: image/png\r\n\r\n".utf8) + Self.png + Data("\r\n--\(boundary)--\r\n".utf8)
            let posted = try await client.execute(uri: "/requests/\(id)/medicine/items/\(item)/photo", method: .post,
                                                  headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: browser.cookieHeader], body: ByteBuffer(bytes: body))
            #expect(posted.status == .seeOther, "\(posted.text.prefix(300))")
            let second = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(second.count == 1 && second[0].hasSuffix(".png"), "the replaced photo is gone: \(second)")
            let image = try await browser.get("/medicine/items/\(item)/box-photo", client: client)
            #expect(image.status == .ok && image.headers[.contentType] == "image/png" && Data(buffer: image.body) == Self.png)
        }
    }
}
