"""PAdES signatures on the official PDFs (等级证书, 评测报告), made with the bureau's signing key.

The key and its certificate are files named in settings (`PDF_SIGNING_KEY`, `PDF_SIGNING_CERT`, optional
`PDF_SIGNING_KEY_PASSWORD` and `PDF_SIGNING_CHAIN`). For development and tests `manage.py ensure_signing_key`
(called by `make run`, `make test` and the test session) makes a key and a self-signed certificate under
`var/signing/` — never committed, never made at a path that was configured. Anyone holding the PDF checks it
with any PAdES validator (Adobe Reader, pyHanko) against the bureau's certificate; `verify()` is that check.
"""

import asyncio
import datetime
import fcntl
import io
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

SIGNER_NAME = "北京市顺义区经济和信息化局"
DEV_SUBJECT = "顺义区经信局（开发用签名证书）"


class SigningUnavailable(ImproperlyConfigured):
    """The signing key or certificate is missing or unreadable."""


def _paths() -> tuple[Path, Path]:
    return Path(settings.PDF_SIGNING_KEY), Path(settings.PDF_SIGNING_CERT)


def is_development_key() -> bool:
    """True when the key and certificate are the development pair's default paths (not configured)."""
    key, cert = _paths()
    dev = Path(settings.PDF_SIGNING_DEV_DIR)
    return key.parent == dev and cert.parent == dev


def make_development_key() -> bool:
    """Make the development key and self-signed certificate if they are missing. Returns True when it made them.
    Refuses when the paths were configured (a production key is provided, never generated)."""
    key_path, cert_path = _paths()
    if key_path.exists() and cert_path.exists():
        return False
    if not is_development_key():
        raise SigningUnavailable(
            f"PDF_SIGNING_KEY/PDF_SIGNING_CERT point to {key_path} and {cert_path}, which do not exist"
        )
    key_path.parent.mkdir(parents=True, exist_ok=True)
    with open(key_path.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test workers starting at once make one pair, not two halves
        if key_path.exists() and cert_path.exists():
            return False
        key_pem, cert_pem = _self_signed()
        for path, data, mode in ((key_path, key_pem, 0o600), (cert_path, cert_pem, 0o644)):
            tmp = path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
    return True


def _self_signed() -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, SIGNER_NAME),
            x509.NameAttribute(NameOID.COMMON_NAME, DEV_SUBJECT),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


_signer_cache: dict = {}


def signer():
    """The bureau's pyHanko signer, loaded once per process (per key file and its modification time)."""
    key_path, cert_path = _paths()
    if not (key_path.exists() and cert_path.exists()):
        raise SigningUnavailable(
            f"The PDF signing key {key_path} or certificate {cert_path} is missing "
            "(development: run `manage.py ensure_signing_key`; production: set PDF_SIGNING_KEY/PDF_SIGNING_CERT)"
        )
    chain = [p for p in (settings.PDF_SIGNING_CHAIN or "").split(",") if p.strip()]
    stamp = (str(key_path), key_path.stat().st_mtime_ns, str(cert_path), cert_path.stat().st_mtime_ns)
    loaded = _signer_cache.get(stamp)
    if loaded is None:
        password = settings.PDF_SIGNING_KEY_PASSWORD
        loaded = signers.SimpleSigner.load(
            str(key_path),
            str(cert_path),
            ca_chain_files=chain or None,
            key_passphrase=password.encode() if password else None,
        )
        if loaded is None:
            raise SigningUnavailable(
                f"Cannot load the PDF signing key {key_path} with certificate {cert_path}"
            )
        _signer_cache.clear()
        _signer_cache[stamp] = loaded
    return loaded


def sign_pdf(data: bytes, *, reason: str) -> bytes:
    """The PDF with a PAdES (B-B) signature of the bureau appended as an incremental update.

    pyHanko's synchronous API runs an event loop of its own (asyncio.run), which a thread already running one
    cannot (an async caller; a browser test's driver, on whose thread an in-process task may run): there the
    signature is made on a thread of its own rather than failing."""
    return _outside_a_loop(_sign, data, reason)


def _outside_a_loop(fn, *args):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


def _sign(data: bytes, reason: str) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(
        field_name="BureauSignature",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location="北京市顺义区",
        name=SIGNER_NAME,
    )
    out = signers.sign_pdf(writer, meta, signer=signer())
    return out.getvalue()


def certificate_pem() -> bytes:
    return _paths()[1].read_bytes()


def verify(data: bytes, *, trust_pem: bytes | None = None) -> bool:
    """True when the PDF carries exactly one signature, intact, covering the whole file, by a certificate
    trusted here (the bureau's, unless another is given)."""
    roots = list(load_certs_from_pemder_data(trust_pem or certificate_pem()))
    try:
        reader = PdfFileReader(io.BytesIO(data))
        sigs = reader.embedded_signatures
        if len(sigs) != 1:
            return False
        status = _outside_a_loop(validate_pdf_signature, sigs[0], ValidationContext(trust_roots=roots))
    except Exception:  # noqa: BLE001 - a damaged file is simply not a valid signed PDF
        return False
    return bool(status.bottom_line and status.coverage.name == "ENTIRE_FILE")
