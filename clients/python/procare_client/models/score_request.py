from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.score_request_records_type_0_item import ScoreRequestRecordsType0Item





T = TypeVar("T", bound="ScoreRequest")



@_attrs_define
class ScoreRequest:
    """ Score customers by id (batch scores of the served snapshot) or by feature records.

        Example:
            {'customer_ids': ['C0000001', 'C0000002']}

        Attributes:
            customer_ids (list[str] | None | Unset): Customer ids; unknown ids get a per-item error
            explain (bool | None | Unset): Live reason codes for `records` (default: only for small batches). Lookups by id
                always carry the snapshot's reasons.
            records (list[ScoreRequestRecordsType0Item] | None | Unset): Feature rows scored live by both champion models
     """

    customer_ids: list[str] | None | Unset = UNSET
    explain: bool | None | Unset = UNSET
    records: list[ScoreRequestRecordsType0Item] | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.score_request_records_type_0_item import ScoreRequestRecordsType0Item # noqa: PLC0415
        customer_ids: list[str] | None | Unset
        if isinstance(self.customer_ids, Unset):
            customer_ids = UNSET
        elif isinstance(self.customer_ids, list):
            customer_ids = self.customer_ids


        else:
            customer_ids = self.customer_ids

        explain: bool | None | Unset
        if isinstance(self.explain, Unset):
            explain = UNSET
        else:
            explain = self.explain

        records: list[dict[str, Any]] | None | Unset
        if isinstance(self.records, Unset):
            records = UNSET
        elif isinstance(self.records, list):
            records = []
            for records_type_0_item_data in self.records:
                records_type_0_item = records_type_0_item_data.to_dict()
                records.append(records_type_0_item)


        else:
            records = self.records


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if customer_ids is not UNSET:
            field_dict["customer_ids"] = customer_ids
        if explain is not UNSET:
            field_dict["explain"] = explain
        if records is not UNSET:
            field_dict["records"] = records

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.score_request_records_type_0_item import ScoreRequestRecordsType0Item # noqa: PLC0415
        d = dict(src_dict)
        def _parse_customer_ids(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                customer_ids_type_0 = cast(list[str], data)

                return customer_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        customer_ids = _parse_customer_ids(d.pop("customer_ids", UNSET))


        def _parse_explain(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        explain = _parse_explain(d.pop("explain", UNSET))


        def _parse_records(data: object) -> list[ScoreRequestRecordsType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                records_type_0 = []
                _records_type_0 = data
                for records_type_0_item_data in (_records_type_0):
                    records_type_0_item = ScoreRequestRecordsType0Item.from_dict(records_type_0_item_data)



                    records_type_0.append(records_type_0_item)

                return records_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ScoreRequestRecordsType0Item] | None | Unset, data)

        records = _parse_records(d.pop("records", UNSET))


        score_request = cls(
            customer_ids=customer_ids,
            explain=explain,
            records=records,
        )

        return score_request

