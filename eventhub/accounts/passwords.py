"""Password policy: at least 12 characters and not guessable (zxcvbn score 3 or more)."""

from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MIN_SCORE = 3
# A fixed hash to compare against when the email is unknown, so a login for an unknown
# account costs the same time as one for a known account.
_DUMMY_HASH = generate_password_hash("not-a-real-password-for-timing")


def password_problem(password: str, *, user_inputs: list[str] = ()) -> str | None:
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > 200:
        return "Use at most 200 characters."
    result = zxcvbn(password[:100], user_inputs=[u for u in user_inputs if u])
    if result["score"] < MIN_SCORE:
        hint = result["feedback"].get("warning") or "It is too easy to guess."
        return f"Choose a less guessable password. {hint}".strip()
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if password_hash is None:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return check_password_hash(password_hash, password)
