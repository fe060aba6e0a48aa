from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.customer_score import CustomerScore
  from ..models.early_warning import EarlyWarning
  from ..models.event_response_model_versions import EventResponseModelVersions
  from ..models.item_error import ItemError
  from ..models.previous_scores import PreviousScores
  from ..models.text_signals import TextSignals





T = TypeVar("T", bound="EventResponse")



@_attrs_define
class EventResponse:
    """ Early warning and fresh scores after a contact event.

        Attributes:
            as_of (datetime.date): Feature date of the live scores (the event's day)
            contact_id (str):
            customer_id (None | str):
            early_warning (EarlyWarning): The escalation early-warning rule applied to the event.
            error (ItemError | None):
            model_versions (EventResponseModelVersions):
            previous (None | PreviousScores):
            recorded (bool): The contact was added to the customer's live contacts; false for an unknown customer or a
                contact_id received before (a retry is not counted twice)
            score (CustomerScore | None):
            text (TextSignals): What the text says (negation, hearsay and questions are handled).
     """

    as_of: datetime.date
    contact_id: str
    customer_id: None | str
    early_warning: EarlyWarning
    error: ItemError | None
    model_versions: EventResponseModelVersions
    previous: None | PreviousScores
    recorded: bool
    score: CustomerScore | None
    text: TextSignals
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.customer_score import CustomerScore # noqa: PLC0415
        from ..models.early_warning import EarlyWarning # noqa: PLC0415
        from ..models.event_response_model_versions import EventResponseModelVersions # noqa: PLC0415
        from ..models.item_error import ItemError # noqa: PLC0415
        from ..models.previous_scores import PreviousScores # noqa: PLC0415
        from ..models.text_signals import TextSignals # noqa: PLC0415
        as_of = self.as_of.isoformat()

        contact_id = self.contact_id

        customer_id: None | str
        customer_id = self.customer_id

        early_warning = self.early_warning.to_dict()

        error: dict[str, Any] | None
        if isinstance(self.error, ItemError):
            error = self.error.to_dict()
        else:
            error = self.error

        model_versions = self.model_versions.to_dict()

        previous: dict[str, Any] | None
        if isinstance(self.previous, PreviousScores):
            previous = self.previous.to_dict()
        else:
            previous = self.previous

        recorded = self.recorded

        score: dict[str, Any] | None
        if isinstance(self.score, CustomerScore):
            score = self.score.to_dict()
        else:
            score = self.score

        text = self.text.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "as_of": as_of,
            "contact_id": contact_id,
            "customer_id": customer_id,
            "early_warning": early_warning,
            "error": error,
            "model_versions": model_versions,
            "previous": previous,
            "recorded": recorded,
            "score": score,
            "text": text,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_score import CustomerScore # noqa: PLC0415
        from ..models.early_warning import EarlyWarning # noqa: PLC0415
        from ..models.event_response_model_versions import EventResponseModelVersions # noqa: PLC0415
        from ..models.item_error import ItemError # noqa: PLC0415
        from ..models.previous_scores import PreviousScores # noqa: PLC0415
        from ..models.text_signals import TextSignals # noqa: PLC0415
        d = dict(src_dict)
        as_of = datetime.date.fromisoformat(d.pop("as_of"))




        contact_id = d.pop("contact_id")

        def _parse_customer_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        customer_id = _parse_customer_id(d.pop("customer_id"))


        early_warning = EarlyWarning.from_dict(d.pop("early_warning"))




        def _parse_error(data: object) -> ItemError | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = ItemError.from_dict(data)



                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ItemError | None, data)

        error = _parse_error(d.pop("error"))


        model_versions = EventResponseModelVersions.from_dict(d.pop("model_versions"))




        def _parse_previous(data: object) -> None | PreviousScores:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                previous_type_0 = PreviousScores.from_dict(data)



                return previous_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PreviousScores, data)

        previous = _parse_previous(d.pop("previous"))


        recorded = d.pop("recorded")

        def _parse_score(data: object) -> CustomerScore | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                score_type_0 = CustomerScore.from_dict(data)



                return score_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CustomerScore | None, data)

        score = _parse_score(d.pop("score"))


        text = TextSignals.from_dict(d.pop("text"))




        event_response = cls(
            as_of=as_of,
            contact_id=contact_id,
            customer_id=customer_id,
            early_warning=early_warning,
            error=error,
            model_versions=model_versions,
            previous=previous,
            recorded=recorded,
            score=score,
            text=text,
        )


        event_response.additional_properties = d
        return event_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
