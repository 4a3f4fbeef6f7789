import pytest
from cryptography.fernet import Fernet

from dutydesk.sso import crypto


def test_secret_round_trip_and_not_stored_plain(settings):
    token = crypto.encrypt("s3cret-值")
    assert "s3cret" not in token and crypto.decrypt(token) == "s3cret-值"


def test_dedicated_key_reads_what_the_derived_key_stored(settings):
    settings.SSO_ENCRYPTION_KEY = ""
    before = crypto.encrypt("kept")
    settings.SSO_ENCRYPTION_KEY = Fernet.generate_key().decode()
    assert crypto.decrypt(before) == "kept"
    after = crypto.encrypt("new")
    settings.SSO_ENCRYPTION_KEY = ""
    with pytest.raises(crypto.SecretUnreadable):
        crypto.decrypt(after)  # stored under the dedicated key: the derived one cannot open it


def test_other_secret_key_cannot_read_and_tampering_is_detected(settings):
    token = crypto.encrypt("kept")
    with pytest.raises(crypto.SecretUnreadable):
        crypto.decrypt(token[:-4] + "AAAA")
    settings.SECRET_KEY = "another-secret-key-" * 4
    with pytest.raises(crypto.SecretUnreadable):
        crypto.decrypt(token)
