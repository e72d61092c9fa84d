import Foundation
import LinliCore
import Testing

@Suite("Box photos are taken by their first bytes, never by their name or declared type")
struct BoxPhotoTests {
    @Test("JPEG, PNG and WebP are recognised; HEIC, GIF, PDF, text and short files are not")
    func sniff() {
        #expect(BoxPhotoFormat.sniff(Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10])) == .jpeg)
        #expect(BoxPhotoFormat.sniff(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D])) == .png)
        #expect(BoxPhotoFormat.sniff(Data("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .webp)
        #expect(BoxPhotoFormat.sniff(Data([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63])) == nil, "HEIC")
        #expect(BoxPhotoFormat.sniff(Data("GIF89a".utf8)) == nil)
        #expect(BoxPhotoFormat.sniff(Data("%PDF-1.7".utf8)) == nil)
        #expect(BoxPhotoFormat.sniff(Data("<svg xmlns=".utf8)) == nil)
        #expect(BoxPhotoFormat.sniff(Data([0xFF, 0xD8])) == nil)
        #expect(BoxPhotoFormat.sniff(Data("RIFF\u{0}\u{0}\u{0}\u{0}WAVE".utf8)) == nil)
        #expect(BoxPhotoFormat.sniff(Data()) == nil)
    }

    @Test("a stored name names its format by its extension only")
    func names() {
        #expect(BoxPhotoFormat(fileName: "12-00ff.jpg") == .jpeg)
        #expect(BoxPhotoFormat(fileName: "12-00ff.webp") == .webp)
        #expect(BoxPhotoFormat(fileName: "12-00ff.svg") == nil)
        #expect(BoxPhotoFormat.jpeg.fileExtension == "jpg" && BoxPhotoFormat.png.mediaType == "image/png")
    }
}
