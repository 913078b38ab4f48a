"""API tokens hashed at rest: every DRF token moves into knox, and OAuth2 tokens lose their
plain text.

- Each DRF token (stored in clear by rest_framework.authtoken) becomes a knox token with the
  same string's SHA-512 digest and its first 15 characters as the lookup key, expiring
  API_TOKEN_TTL_DAYS after this migration runs: a client keeps sending the very same
  `Authorization: Token ...` until then. The plain-text rows are then deleted.
- The toolkit's access and refresh tokens keep their SHA-256 checksum (the toolkit looks them
  up by it) and lose their `token` column, as the toolkit itself stores new ones under
  COMPLIANT_BCP_RFC9700_TOKEN_STORAGE (techbank/settings/auth.py).

Irreversible by nature (a digest gives no token back): going back leaves knox's rows and
blank columns in place, and clients then need `create_api_client` again.
"""

from django.db import migrations
from django.utils import timezone
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings


def hash_tokens(apps, schema_editor):
    drf_token = apps.get_model("authtoken", "Token")
    auth_token = apps.get_model("knox", "AuthToken")
    expiry = timezone.now() + knox_settings.TOKEN_TTL
    auth_token.objects.bulk_create(
        [
            auth_token(
                digest=hash_token(token.key),
                token_key=token.key[: CONSTANTS.TOKEN_KEY_LENGTH],
                user_id=token.user_id,
                expiry=expiry,
            )
            for token in drf_token.objects.all()
        ],
        ignore_conflicts=True,  # run twice (a failed deploy retried): the digest is the key
    )
    drf_token.objects.all().delete()
    for model in ("AccessToken", "RefreshToken"):
        apps.get_model("oauth2_provider", model).objects.exclude(token="").update(token="")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts_command", "0002_roles"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("knox", "0009_extend_authtoken_field"),
        ("oauth2_provider", "0022_refreshtoken_token_family_index"),
    ]
    operations = [migrations.RunPython(hash_tokens, migrations.RunPython.noop)]
