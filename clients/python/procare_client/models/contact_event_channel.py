from enum import StrEnum

class ContactEventChannel(StrEnum):
    APP = "app"
    EMAIL = "email"
    HOTLINE = "hotline"
    REGULATOR = "regulator"
    STORE = "store"
    WEB_CHAT = "web_chat"
    WECHAT = "wechat"
    WEIBO = "weibo"

    def __str__(self) -> str:
        return str(self.value)
