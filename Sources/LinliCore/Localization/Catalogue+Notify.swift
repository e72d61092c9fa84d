extension Catalogue {
    static let notify: [String: CatalogueEntry] = [
        "notify.target.wecom": .init("企业微信群机器人", "WeCom group robot"),
        "notify.target.dingtalk": .init("钉钉群机器人", "DingTalk group robot"),
        "notify.target.feishu": .init("飞书群机器人", "Feishu group robot"),
        "notify.target.http": .init("HTTP 回调（HMAC 签名）", "HTTP webhook (HMAC-signed)"),

        "notify.target_error.unknown_kind": .init("不支持的通知渠道，请选择企业微信、钉钉、飞书或 HTTP 回调", "Unsupported target; choose WeCom, DingTalk, Feishu or an HTTP webhook"),
        "notify.target_error.url_invalid": .init("Webhook 地址须是以 https:// 或 http:// 开头的完整网址", "The webhook URL must be a full address starting with https:// or http://"),
        "notify.target_error.secret_required": .init("HTTP 回调必须设置签名密钥", "An HTTP webhook needs a signing secret"),
        "notify.target_error.secret_blank": .init("签名密钥不能为空白；不加签时请留空此项", "The signing secret cannot be blank; leave the field out if the robot does not sign"),
        "notify.target_error.host_unclear": .init("Webhook 地址的主机须是域名、形如 203.0.113.7 的四段数字地址，或方括号中的 IPv6 地址", "The webhook URL's host must be a domain name, four numbers such as 203.0.113.7, or an IPv6 address in brackets"),
        "notify.target_error.host_not_allowed": .init("Webhook 地址指向服务器自己的网络（本机、内网或链路本地地址），不能使用；如确有需要，请运维用 --webhook-allow-network 放行该网段", "The webhook URL points into the server's own network (this machine, a private or link-local address); ask the operator to allow the range with --webhook-allow-network if it is really meant"),

        "notify.failure.no_response": .init("没有收到回应（网络不通或超时）：{detail}", "No response (network down or timed out): {detail}"),
        "notify.failure.throttled": .init("发送太频繁，被限流：{detail}", "Throttled for sending too fast: {detail}"),
        "notify.failure.receiver_unavailable": .init("接收方暂时不可用：{detail}", "The receiver is unavailable for now: {detail}"),
        "notify.failure.rejected": .init("接收方拒收，重试也不会成功；请检查地址和密钥，群机器人还要检查关键词和 IP 白名单：{detail}", "Refused by the receiver, and retrying will not help; check the URL and secret, and for a group robot its keywords and IP list: {detail}"),
        "notify.failure.unexpected_reply": .init("接收方的回应不像该渠道的回应，请检查地址是否正确：{detail}", "The answer is not what this kind of receiver sends; check the URL: {detail}"),
        "notify.failure.address_refused": .init("未发送：目标地址在服务器自己的网络内（本机、内网或链路本地地址）：{detail}", "Not sent: the target is inside the server's own network (this machine, a private or link-local address): {detail}"),
    ]
}
