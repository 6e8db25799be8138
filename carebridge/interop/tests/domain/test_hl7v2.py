"""HL7 v2 reading and answering without a database: character sets from MSH-18, times in the hospital's
zone, the ACK's MSA and ERR segments, escaping of the separators in a reason."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from carebridge.interop.domain import hl7v2
from carebridge.interop.domain.records import Unsupported

SHANGHAI = ZoneInfo("Asia/Shanghai")
MSH = "MSH|^~\\&|LIS|LXQ-LIS|CB|LXQ|20250312083000||ORU^R01|M1|P|2.5||||||{charset}\rPID|1||M1||王^五"


@pytest.mark.parametrize(
    ("charset", "codec"),
    [("UNICODE UTF-8", "utf-8"), ("GB 18030-2000", "gb18030"), ("", "utf-8"), ("GB18030", "gb18030")],
)
def test_the_character_set_is_read_from_msh_18(charset, codec):
    text = MSH.format(charset=charset)
    decoded, found = hl7v2.decode(text.encode(codec))
    assert found == codec and "王^五" in decoded


def test_an_unknown_character_set_or_bytes_that_do_not_match_it_are_rejected():
    with pytest.raises(Unsupported, match="not supported"):
        hl7v2.decode(MSH.format(charset="8859/15").encode())
    with pytest.raises(Unsupported, match="not valid utf-8"):
        hl7v2.decode(MSH.format(charset="UNICODE UTF-8").encode("gb18030"))


def test_a_message_without_msh_is_rejected():
    with pytest.raises(Unsupported):
        hl7v2.decode(b"PID|1||M1")


def test_times_without_an_offset_are_the_hospitals_and_with_one_are_kept():
    assert hl7v2.timestamp("202503120830", SHANGHAI) == dt.datetime(2025, 3, 12, 8, 30, tzinfo=SHANGHAI)
    assert hl7v2.timestamp("20250312083000+0000", SHANGHAI) == dt.datetime(2025, 3, 12, 8, 30, tzinfo=dt.UTC)
    assert hl7v2.timestamp("", SHANGHAI) is None
    with pytest.raises(ValueError):
        hl7v2.timestamp("yesterday", SHANGHAI)


def test_an_ae_carries_an_err_segment_with_the_location_code_and_an_escaped_reason():
    text, codec = hl7v2.decode(MSH.format(charset="UNICODE UTF-8").encode())
    head = hl7v2.header(hl7v2.parse(text), codec)
    ack = hl7v2.ack(
        head=head,
        code="AE",
        control_id="M1",
        at=dt.datetime(2025, 3, 12, tzinfo=dt.UTC),
        text="Unknown code A|B",
        error_code="103",
        location="OBX^2^3",
    )
    msh, msa, err = (line.split("|") for line in ack.strip("\r").split("\r"))
    assert msh[8] == "ACK^R01^ACK" and msh[5] == "LXQ-LIS"
    assert msa[:3] == ["MSA", "AE", "M1"]
    assert err[2] == "OBX^2^3" and err[3] == "103^Table value not found^HL70357"
    assert err[8] == "Unknown code A\\F\\B"


def test_an_aa_has_no_err_segment():
    ack = hl7v2.ack(head=None, code="AA", control_id="M1", at=dt.datetime(2025, 3, 12, tzinfo=dt.UTC))
    assert "ERR|" not in ack and "MSA|AA|M1" in ack
