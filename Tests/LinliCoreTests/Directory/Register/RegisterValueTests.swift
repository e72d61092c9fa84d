import Testing
@testable import LinliCore

@Suite("Register cell values")
struct RegisterValueTests {
    @Test("building labels are reduced to their number", arguments: [
        ("3号楼", "3"), ("3栋", "3"), ("3幢", "3"), ("3#", "3"), ("3＃", "3"), ("3", "3"), ("三号楼", "3"),
        ("12号", "12"), ("03号楼", "3"), ("第3栋", "3"), ("十二栋", "12"), ("二十三号楼", "23"), ("３号楼", "3"),
        ("3 号楼", "3"), ("A座", "A座"), ("综合楼", "综合楼"), ("B 座", "B 座"),
    ])
    func buildings(cell: String, label: String) {
        #expect(RegisterValue.building(cell) == label)
    }

    @Test("room numbers lose the 室 and become ASCII", arguments: [
        ("201室", "201"), ("201", "201"), ("２０１", "201"), ("1502号", "1502"), ("3-201", "3-201"), ("室", "室"),
    ])
    func rooms(cell: String, label: String) {
        #expect(RegisterValue.room(cell) == label)
    }

    @Test("names keep one space where several were typed")
    func names() {
        #expect(RegisterValue.name("张  三") == "张 三")
        #expect(RegisterValue.name("阿依古丽·买买提") == "阿依古丽·买买提")
        #expect(RegisterValue.name("王\u{3000}小明") == "王 小明")
    }

    @Test("surrounding spaces, full-width spaces and zero-width characters are trimmed")
    func trimming() {
        #expect(RegisterValue.trimmed("\u{3000} 张三\u{200B}\u{FEFF} ") == "张三")
    }

    @Test("phones are kept as bare digits", arguments: [
        ("13812345678", "13812345678"), ("138 1234 5678", "13812345678"), ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"), ("8613812345678", "13812345678"), ("+8613812345678", "13812345678"),
        ("021-62345678", "02162345678"), ("62345678", "62345678"), ("(021) 6234 5678", "02162345678"),
        ("１３８１２３４５６７８", "13812345678"),
    ])
    func validPhones(cell: String, digits: String) {
        #expect(RegisterValue.phone(cell) == digits)
    }

    @Test("phones that cannot be dialled are refused", arguments: [
        "1381234567", "138123456789", "123456", "1234567", "+1 415 555 0100", "138-1234-567x", "无", "13812345678/13912345678",
    ])
    func invalidPhones(cell: String) {
        #expect(RegisterValue.phone(cell) == nil)
    }

    @Test("birth years are read from years and full dates", arguments: [
        ("1948", 1948), ("1948年", 1948), ("1948-05-03", 1948), ("1948/5/3", 1948), ("1948.5.3", 1948),
        ("19480503", 1948), ("1948年5月3日", 1948), ("1948/5/3 0:00", 1948), ("1900", 1900), ("2022", 2022),
    ])
    func validBirthYears(cell: String, year: Int) {
        #expect(RegisterValue.birthYear(cell, currentYear: 2022) == year)
    }

    @Test("birth years outside 1900 up to this year, or not dates at all, are refused", arguments: [
        "1899", "2023", "48", "1948-13-01", "1948-05-32", "19481303", "一九四八", "1948-5-3-1", "abcd", "1948.0",
    ])
    func invalidBirthYears(cell: String) {
        #expect(RegisterValue.birthYear(cell, currentYear: 2022) == nil)
    }

    @Test("gender is read from Chinese and English words", arguments: [
        ("男", Gender?.some(.male)), ("女", .female), ("男性", .male), ("M", .male), ("f", .female),
        ("Male", .male), ("FEMALE", .female), ("未知", nil), ("1", nil),
    ])
    func genders(cell: String, gender: Gender?) {
        #expect(RegisterValue.gender(cell) == gender)
    }

    @Test("Chinese numerals up to the thousands", arguments: [
        ("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23), ("一百零五", 105), ("两千", 2000), ("一〇二", 102),
    ])
    func chineseNumbers(text: String, value: Int) {
        #expect(RegisterValue.chineseNumber(Substring(text)) == value)
    }

    @Test("strings that only look like Chinese numerals are not numbers", arguments: ["十百", "三十三十", "A", ""])
    func notChineseNumbers(text: String) {
        #expect(RegisterValue.chineseNumber(Substring(text)) == nil)
    }
}
