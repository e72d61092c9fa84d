import Foundation

/// The parts of a `multipart/form-data` body (RFC 7578), enough for a file upload form.
struct MultipartForm {
    struct Part {
        var name: String
        var fileName: String?
        var data: Data
    }

    let parts: [Part]

    init?(contentType: String, body: Data) {
        guard let boundaryRange = contentType.range(of: "boundary=") else { return nil }
        var boundary = String(contentType[boundaryRange.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        guard !boundary.isEmpty else { return nil }
        let delimiter = Data("--\(boundary)".utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        var parts: [Part] = []
        var searchStart = body.startIndex
        guard var partStart = body.range(of: delimiter, in: searchStart..<body.endIndex)?.upperBound else { return nil }
        while true {
            searchStart = partStart
            guard let next = body.range(of: delimiter, in: searchStart..<body.endIndex) else { break }
            // A part is "\r\n" headers "\r\n\r\n" content "\r\n" before the next delimiter.
            let chunk = body[partStart..<next.lowerBound]
            if let headerRange = chunk.range(of: headerEnd) {
                let headers = String(decoding: chunk[chunk.startIndex..<headerRange.lowerBound], as: UTF8.self)
                var content = chunk[headerRange.upperBound..<chunk.endIndex]
                if content.suffix(2) == Data("\r\n".utf8) { content = content.dropLast(2) }
                if let name = Self.parameter("name", in: headers) {
                    parts.append(Part(name: name, fileName: Self.parameter("filename", in: headers), data: Data(content)))
                }
            }
            partStart = next.upperBound
            if body[partStart...].starts(with: Data("--".utf8)) { break }
        }
        self.parts = parts
    }

    func value(_ name: String) -> String? {
        parts.first { $0.name == name }.map { String(decoding: $0.data, as: UTF8.self) }
    }

    func file(_ name: String) -> Part? { parts.first { $0.name == name && $0.fileName != nil } }

    private static func parameter(_ name: String, in headers: String) -> String? {
        for line in headers.split(whereSeparator: \.isNewline) where line.lowercased().hasPrefix("content-disposition") {
            for piece in line.split(separator: ";") {
                let pair = piece.trimmingCharacters(in: .whitespaces)
                if pair.hasPrefix("\(name)=") {
                    return String(pair.dropFirst(name.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
            }
        }
        return nil
    }
}
