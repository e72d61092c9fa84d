/// Hides most of a phone number on lists seen by volunteers who only need to recognise a
/// resident, not to call them: nobody sees more than their job needs.
public enum PhoneMask {
    /// "13812345678" → "138****5678"; other numbers show only their last two digits
    /// ("62345678" → "******78"); an empty number stays empty.
    public static func mask(_ phone: String) -> String {
        if RegisterValue.isMobile(phone) {
            return phone.prefix(3) + "****" + phone.suffix(4)
        }
        let visible = phone.suffix(2)
        return String(repeating: "*", count: phone.count - visible.count) + visible
    }
}
