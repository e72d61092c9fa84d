import Testing
@testable import LinliCore

@Suite("Phone masking")
struct PhoneMaskTests {
    @Test("a mobile shows its first three and last four digits; other numbers only their last two", arguments: [
        ("13812345678", "138****5678"),
        ("62345678", "******78"),
        ("02162345678", "*********78"),
        ("12", "12"),
        ("", ""),
    ])
    func masks(phone: String, masked: String) {
        #expect(PhoneMask.mask(phone) == masked)
    }
}
