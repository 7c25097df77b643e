"""Schemathesis hooks for the fuzz test.

An Idempotency-Key names one intended request; reusing a key with another body is answered
422 idempotency-key-reused, by design. Generated keys are short and collide constantly, so
nearly every create would stop there and the fuzzer would never reach an object. The key is
therefore suffixed with a digest of the body: the same body with the same key still replays
(and is checked), another body gets another key. Deterministic, so a seed still reproduces.
"""
import hashlib
import json
import re

import schemathesis


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    headers = case.headers or {}
    key = headers.get("Idempotency-Key")
    # A key the API refuses (negative testing) is sent as generated: it must stay refused.
    if key is None or not re.fullmatch(r"[\x21-\x7e]{1,255}", key):
        return None
    try:
        body = json.dumps(case.body, sort_keys=True, default=str)
    except Exception:
        body = repr(case.body)
    digest = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    headers["Idempotency-Key"] = f"{key[:200]}-{digest}"  # still 1 to 255 visible characters
    case.headers = headers
    return None
