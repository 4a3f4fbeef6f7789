"""Provider secrets at rest: Fernet (pyca/cryptography), keyed by SSO_ENCRYPTION_KEY or derived from SECRET_KEY.

Why Fernet: authenticated encryption (AES-128-CBC with HMAC-SHA256) with a version byte and a timestamp, from the
library every Python TLS stack already trusts (it comes with PyJWT's crypto extra, which allauth needs); nothing to
choose wrongly (no mode, no IV to reuse). A tampered or foreign token fails to decrypt instead of yielding garbage.

The key: a dedicated SSO_ENCRYPTION_KEY (a Fernet key, `python -m dutydesk.sso.crypto` prints a new one), so a
database dump alone reveals no secret and SECRET_KEY can be rotated without losing them. Without it, a key derived
from SECRET_KEY by HKDF-SHA256 (a key of its own, never SECRET_KEY itself). MultiFernet decrypts with either, so a
company that sets SSO_ENCRYPTION_KEY later still reads what was stored before; saving a secret again stores it
under the first key.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class SecretUnreadable(Exception):
    """A stored secret that no configured key opens (the key changed, or the value was altered)."""


def _derived_key() -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"dutydesk-sso", info=b"provider secrets v1")
    return base64.urlsafe_b64encode(hkdf.derive(settings.SECRET_KEY.encode()))


def _fernet() -> MultiFernet:
    keys = []
    if settings.SSO_ENCRYPTION_KEY:
        keys.append(Fernet(settings.SSO_ENCRYPTION_KEY))
    keys.append(Fernet(_derived_key()))
    return MultiFernet(keys)


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise SecretUnreadable from error


if __name__ == "__main__":
    print(Fernet.generate_key().decode())
