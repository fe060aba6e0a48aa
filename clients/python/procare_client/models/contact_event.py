from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.contact_event_category import ContactEventCategory
from ..models.contact_event_channel import ContactEventChannel
from ..models.contact_event_direction import ContactEventDirection
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="ContactEvent")



@_attrs_define
class ContactEvent:
    """ A contact as it happens (texts are analysed, never logged).

        Example:
            {'category': 'suspension', 'channel': 'hotline', 'customer_id': 'C0000001', 'text':
                '就欠了1毛钱就把我宽带和手机都停了，再不处理我就去工信部投诉！', 'ts': '2026-11-02T10:15:00+08:00'}

        Attributes:
            channel (ContactEventChannel):
            ts (datetime.datetime): When the contact happened; naive times are Asia/Shanghai wall-clock. At most 5 minutes
                in the future, and not before the data the service holds (422 otherwise).
            category (ContactEventCategory | Unset):  Default: ContactEventCategory.INQUIRY.
            contact_id (None | str | Unset):
            customer_id (None | str | Unset):
            direction (ContactEventDirection | Unset):  Default: ContactEventDirection.INBOUND.
            escalated_flag (bool | Unset): The agent flagged it as an escalation Default: False.
            social_account_id (None | str | Unset):
            text (None | str | Unset):
     """

    channel: ContactEventChannel
    ts: datetime.datetime
    category: ContactEventCategory | Unset = ContactEventCategory.INQUIRY
    contact_id: None | str | Unset = UNSET
    customer_id: None | str | Unset = UNSET
    direction: ContactEventDirection | Unset = ContactEventDirection.INBOUND
    escalated_flag: bool | Unset = False
    social_account_id: None | str | Unset = UNSET
    text: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        channel = self.channel.value

        ts = self.ts.isoformat()

        category: str | Unset = UNSET
        if not isinstance(self.category, Unset):
            category = self.category.value


        contact_id: None | str | Unset
        if isinstance(self.contact_id, Unset):
            contact_id = UNSET
        else:
            contact_id = self.contact_id

        customer_id: None | str | Unset
        if isinstance(self.customer_id, Unset):
            customer_id = UNSET
        else:
            customer_id = self.customer_id

        direction: str | Unset = UNSET
        if not isinstance(self.direction, Unset):
            direction = self.direction.value


        escalated_flag = self.escalated_flag

        social_account_id: None | str | Unset
        if isinstance(self.social_account_id, Unset):
            social_account_id = UNSET
        else:
            social_account_id = self.social_account_id

        text: None | str | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        else:
            text = self.text


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "channel": channel,
            "ts": ts,
        })
        if category is not UNSET:
            field_dict["category"] = category
        if contact_id is not UNSET:
            field_dict["contact_id"] = contact_id
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if direction is not UNSET:
            field_dict["direction"] = direction
        if escalated_flag is not UNSET:
            field_dict["escalated_flag"] = escalated_flag
        if social_account_id is not UNSET:
            field_dict["social_account_id"] = social_account_id
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        channel = ContactEventChannel(d.pop("channel"))




        ts = datetime.datetime.fromisoformat(d.pop("ts"))




        _category = d.pop("category", UNSET)
        category: ContactEventCategory | Unset
        if isinstance(_category,  Unset):
            category = UNSET
        else:
            category = ContactEventCategory(_category)




        def _parse_contact_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        contact_id = _parse_contact_id(d.pop("contact_id", UNSET))


        def _parse_customer_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customer_id = _parse_customer_id(d.pop("customer_id", UNSET))


        _direction = d.pop("direction", UNSET)
        direction: ContactEventDirection | Unset
        if isinstance(_direction,  Unset):
            direction = UNSET
        else:
            direction = ContactEventDirection(_direction)




        escalated_flag = d.pop("escalated_flag", UNSET)

        def _parse_social_account_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        social_account_id = _parse_social_account_id(d.pop("social_account_id", UNSET))


        def _parse_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text = _parse_text(d.pop("text", UNSET))


        contact_event = cls(
            channel=channel,
            ts=ts,
            category=category,
            contact_id=contact_id,
            customer_id=customer_id,
            direction=direction,
            escalated_flag=escalated_flag,
            social_account_id=social_account_id,
            text=text,
        )

        return contact_event

