extension Catalogue {
    static let common: [String: CatalogueEntry] = [
        "app.name": .init("邻里", "Linli"),
        "error.field.required": .init("{field}不能为空", "{field} is required"),
        "error.field.invalid": .init("{field}格式不正确", "{field} is not valid"),
        "error.field.too_long": .init("{field}太长（最多 {max} 个字）", "{field} is too long (at most {max} characters)"),
        "error.body.invalid_text": .init("提交的内容含有无法识别的字符，请检查后重新输入", "The form contains characters that are not valid text; check it and type them again"),
        "error.body.invalid_json": .init("请求内容不是有效的 JSON", "The request body is not valid JSON"),
        "error.not_found": .init("找不到该记录", "Not found"),
        "error.forbidden": .init("您没有权限查看或操作此内容", "You are not allowed to see or do this"),
        "error.unauthenticated": .init("请先登录", "Please sign in first"),
        "error.busy": .init("现在同时办事的人太多，请稍等片刻再试一次，填写的内容不会丢", "Too many people at once right now: try again in a moment; nothing you entered is lost"),
        "error.internal": .init("服务器出错了，请稍后再试", "Something went wrong on the server; please try again later"),
        "time.invalid": .init("时间无效", "invalid time"),
        "error.rate_limited": .init("尝试次数过多，请 {wait}后再试", "Too many attempts; try again in {wait}"),
        "time.second": .init("1 秒", "1 second"),
        "time.seconds": .init("{n} 秒", "{n} seconds"),
        "time.minute": .init("1 分钟", "1 minute"),
        "time.minutes": .init("{n} 分钟", "{n} minutes"),
        "error.csrf": .init("表单已过期，请刷新页面后重试", "The form has expired; reload the page and try again"),
    ]
}

extension Catalogue {
    /// A span of time as people say it: seconds under a minute, else whole minutes rounded up
    /// (a person told "2 minutes" who comes back after 90 s would be refused again).
    public static func duration(seconds: Int, _ language: Language) -> String {
        if seconds < 60 {
            return seconds == 1 ? text("time.second", language) : text("time.seconds", language, ["n": "\(max(0, seconds))"])
        }
        let minutes = seconds / 60 + (seconds % 60 == 0 ? 0 : 1)
        return minutes == 1 ? text("time.minute", language) : text("time.minutes", language, ["n": "\(minutes)"])
    }
}
